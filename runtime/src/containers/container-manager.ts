// CRI's container verbs on Linux: every container is an OCI bundle run by conmon + crun/runc (see
// docs/decisions/0004-runtime-execution.md). Records live on disk under `<root>/containers/`;
// what happened to a process while skiff was not looking (it exited, it was OOM-killed) is read
// from conmon's files whenever a record is looked at, so a restarted runtime loses nothing.
import { mkdir } from 'node:fs/promises';
import { constants } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { realClock, type Clock } from '@skiff/api';
import type {
  ContainerConfig,
  ContainerFilter,
  ContainerStatsFilter,
  ContainerStats__Output,
  ContainerStatus__Output,
  Container__Output,
  LinuxContainerResources,
  Mount__Output,
} from '@skiff/proto';
import { waitForFile } from '../files/watch-for.js';
import {
  ContainerRunner,
  limitsFromCri,
  type ExitFileListing,
  namespaceMode,
  ociResources,
  propagation,
  stringMap,
  type ContainerStdio,
} from '../linux/index.js';
import { KeyedMutex } from '../network/mutex.js';
import { buildContainerSpec } from './container-spec-builder.js';
import { recordExit, stdioOfOlderRecord, type ContainerRecord } from './container-record.js';
import { containerSummaries, refreshedMatching } from './container-listing.js';
import { containerStats, exitedContainerStats, type CpuSample } from './container-stats.js';
import { containerStatus } from './container-status.js';
import { runtimeSpecOf, type VerboseDetails } from './verbose-info.js';
import { isRuntimeError, messageOf, RuntimeError } from './errors.js';
import { byCreation } from './filters.js';
import { newId, resolveId } from './ids.js';
import { lookUpImage } from './image-lookup.js';
import { loadRecords } from './load-records.js';
import { recordLostExit, type MonitorCheck } from './lost-exit.js';
import { RecordStore } from './record-store.js';
import type { ImageSource, SandboxContext } from './sandbox-context.js';

export interface ContainerManagerOptions {
  /** The runtime's state root; containers live in `<root>/containers/<id>/`. */
  readonly root: string;
  readonly runner: ContainerRunner;
  readonly images: ImageSource;
  /** Milliseconds since the epoch (a Clock from @skiff/api fits). */
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface ExecSyncResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
}

/** After SIGKILL a process is gone within milliseconds; this only bounds a wedged kernel. */
const killGraceMs = 10_000;

export class ContainerManager {
  private readonly store: RecordStore<ContainerRecord>;
  private readonly records = new Map<string, ContainerRecord>();
  private readonly locks = new KeyedMutex();
  /** Names being created right now, so two concurrent creates cannot both take one. */
  private readonly reserving = new Set<string>();
  private readonly cpuSamples = new Map<string, CpuSample>();
  private readonly runner: ContainerRunner;
  private readonly images: ImageSource;
  private readonly clock: Clock;
  private readonly log: (message: string) => void;

  private constructor(options: ContainerManagerOptions) {
    this.runner = options.runner;
    this.images = options.images;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? ((message) => console.warn(`[skiff containers] ${message}`));
    this.store = new RecordStore(join(options.root, 'containers'), 'container', this.log);
  }

  /** Loads every container record and removes what unfinished creations left behind. */
  static async open(options: ContainerManagerOptions): Promise<ContainerManager> {
    const manager = new ContainerManager(options);
    await loadRecords(manager.store, manager.records, async (id) => {
      await manager.runner.destroy(id, manager.store.dirOf(id));
      await manager.store.remove(id);
      manager.log(`removed container ${id}, whose creation never finished`);
    });
    return manager;
  }

  async create(sandbox: SandboxContext, config: ContainerConfig): Promise<string> {
    if (!sandbox.ready) {
      throw new RuntimeError(
        'FailedPrecondition',
        `sandbox ${sandbox.id} is not ready: no containers can be created in it`,
      );
    }
    const name = config.metadata?.name ?? '';
    const attempt = config.metadata?.attempt ?? 0;
    if (name === '')
      throw new RuntimeError('InvalidArgument', 'the container config has no metadata.name');
    const imageName = config.image?.image ?? '';
    if (imageName === '')
      throw new RuntimeError('InvalidArgument', 'the container config names no image');
    const nameKey = `${sandbox.id}/${name}/${attempt}`;
    const taken = [...this.records.values()].find(
      (r) => `${r.sandboxId}/${r.name}/${r.attempt}` === nameKey,
    );
    if (taken !== undefined || this.reserving.has(nameKey)) {
      throw new RuntimeError(
        'AlreadyExists',
        `container name ${name} (attempt ${attempt}) is already in use in sandbox ${sandbox.id}${taken ? ` by ${taken.id}` : ''}`,
      );
    }
    this.reserving.add(nameKey);
    try {
      return await this.createReserved(sandbox, config, name, attempt, imageName);
    } finally {
      this.reserving.delete(nameKey);
    }
  }

  async start(idOrPrefix: string): Promise<void> {
    const id = this.resolve(idOrPrefix);
    await this.locks.run(id, async () => {
      const record = await this.refreshed(id);
      if (record.phase !== 'created') {
        throw new RuntimeError(
          'FailedPrecondition',
          `container ${id} is ${record.phase}, not created: it cannot be started`,
        );
      }
      try {
        await this.runner.start(id);
      } catch (err) {
        // As containerd does: a container that failed to start is over, with the reason shown.
        await this.runner
          .kill(id, 'KILL')
          .catch((killErr: unknown) =>
            this.log(`killing ${id} after a failed start: ${messageOf(killErr)}`),
          );
        recordExit(
          record,
          { exitCode: 128, finishedAtNs: this.nowNs(), oomKilled: false },
          messageOf(err),
        );
        record.reason = 'StartError';
        await this.store.save(record);
        throw new RuntimeError('Internal', `starting container ${id}: ${messageOf(err)}`, {
          cause: err,
        });
      }
      record.phase = 'running';
      record.startedAtNs = this.nowNs().toString();
      await this.store.save(record);
    });
  }

  /**
   * Sends the stop signal, waits up to `timeoutSeconds`, then SIGKILLs. Stopping a container that
   * has already exited only releases what it held, as CRI requires (no error).
   */
  async stop(idOrPrefix: string, timeoutSeconds: number): Promise<void> {
    const id = this.resolve(idOrPrefix);
    await this.locks.run(id, async () => {
      await this.stopLocked(id, timeoutSeconds);
      // As CRI-O does: once the process is gone its rootfs is unmounted and the OCI runtime
      // forgets it, rather than when the container is removed. The kubelet keeps exited
      // containers for a while (restart counts, logs), and none of them needs a mount or OCI
      // state any more; the record and the log stay until RemoveContainer.
      await this.runner.destroy(id, this.store.dirOf(id));
    });
  }

  /** Stops (at once) and deletes the container; an unknown id is not an error (CRI: idempotent). */
  async remove(idOrPrefix: string): Promise<void> {
    let id: string;
    try {
      id = this.resolve(idOrPrefix);
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) return;
      throw err;
    }
    await this.locks.run(id, async () => {
      if (!this.records.has(id)) return;
      await this.stopLocked(id, 0);
      await this.runner.destroy(id, this.store.dirOf(id));
      await this.store.remove(id);
      this.records.delete(id);
      this.cpuSamples.delete(id);
    });
  }

  async status(idOrPrefix: string): Promise<ContainerStatus__Output> {
    return containerStatus(await this.refreshed(this.resolve(idOrPrefix)));
  }

  async info(idOrPrefix: string): Promise<VerboseDetails> {
    const record = await this.refreshed(this.resolve(idOrPrefix));
    const bundle = this.store.dirOf(record.id);
    return {
      sandboxID: record.sandboxId,
      pid: record.pid,
      phase: record.phase,
      bundle,
      cgroupPath: record.cgroupPath,
      stopSignal: record.stopSignal,
      user: record.user,
      limits: record.limits,
      stdio: record.stdio ?? (await stdioOfOlderRecord(record.pid)),
      runtimeSpec: await runtimeSpecOf(bundle),
    };
  }

  async list(filter?: ContainerFilter | null): Promise<Container__Output[]> {
    return containerSummaries(await this.filtered(filter), filter);
  }

  /** The container's cgroup directory for a v1 `controller` (or in the v2 tree), for tools and tests. */
  cgroupDir(idOrPrefix: string, controller: string): string | undefined {
    const record = this.records.get(this.resolve(idOrPrefix));
    return record === undefined
      ? undefined
      : this.runner.cgroups.dir(record.cgroupPath, controller);
  }

  /** The host's cgroup version, as the container's limits are expressed in it. */
  get cgroupVersion(): 'v1' | 'v2' {
    return this.runner.cgroups.version;
  }

  /** Ids of the sandbox's containers (for the sandbox manager). */
  idsIn(sandboxId: string): string[] {
    return [...this.records.values()].filter((r) => r.sandboxId === sandboxId).map((r) => r.id);
  }

  /** Sandbox ids that containers refer to (for finding containers whose sandbox is gone). */
  sandboxIds(): Set<string> {
    return new Set([...this.records.values()].map((r) => r.sandboxId));
  }

  async updateResources(
    idOrPrefix: string,
    resources: LinuxContainerResources | null | undefined,
  ): Promise<void> {
    const id = this.resolve(idOrPrefix);
    await this.locks.run(id, async () => {
      const record = await this.refreshed(id);
      if (record.phase === 'exited') {
        throw new RuntimeError(
          'FailedPrecondition',
          `container ${id} has exited: its resources cannot be updated`,
        );
      }
      const limits = limitsFromCri(resources);
      const { devices: _devices, ...oci } = ociResources(limits, false);
      try {
        await this.runner.update(id, this.store.dirOf(id), oci);
      } catch (err) {
        throw new RuntimeError(
          'Internal',
          `updating the resources of container ${id}: ${messageOf(err)}`,
          { cause: err },
        );
      }
      record.limits = limits;
      await this.store.save(record);
    });
  }

  /**
   * Makes conmon reopen the log file, after the kubelet has renamed it for rotation; returns once
   * the new file exists.
   */
  async reopenLog(idOrPrefix: string): Promise<void> {
    const id = this.resolve(idOrPrefix);
    const record = await this.refreshed(id);
    if (record.phase !== 'running') {
      throw new RuntimeError(
        'FailedPrecondition',
        `container ${id} is not running: its log cannot be reopened`,
      );
    }
    try {
      await this.runner.reopenLog(this.store.dirOf(id));
    } catch (err) {
      throw new RuntimeError(
        'FailedPrecondition',
        `reopening the log of container ${id}: ${messageOf(err)}`,
        { cause: err },
      );
    }
    if (!(await waitForFile(record.logPath, { timeoutMs: 2000, clock: this.clock }))) {
      throw new RuntimeError(
        'Internal',
        `conmon did not recreate ${record.logPath} after being asked to reopen it`,
      );
    }
  }

  /** Runs `cmd` in the container and returns its output; DeadlineExceeded after `timeoutSeconds`. */
  async execSync(
    idOrPrefix: string,
    cmd: readonly string[],
    timeoutSeconds: number,
  ): Promise<ExecSyncResult> {
    const id = this.resolve(idOrPrefix);
    if (cmd.length === 0) throw new RuntimeError('InvalidArgument', 'exec needs a command');
    const record = await this.refreshed(id);
    if (record.phase !== 'running') {
      throw new RuntimeError(
        'FailedPrecondition',
        `container ${id} is ${record.phase}, not running: cannot exec in it`,
      );
    }
    let outcome;
    try {
      outcome = await this.runner.exec(
        id,
        this.store.dirOf(id),
        cmd,
        Math.max(0, Math.ceil(timeoutSeconds)),
      );
    } catch (err) {
      throw new RuntimeError(
        'Internal',
        `exec ${JSON.stringify(cmd)} in container ${id}: ${messageOf(err)}`,
        { cause: err },
      );
    }
    if (outcome.timedOut || outcome.exitCode === undefined) {
      throw new RuntimeError(
        'DeadlineExceeded',
        `command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`,
      );
    }
    return { stdout: outcome.stdout, stderr: outcome.stderr, exitCode: outcome.exitCode };
  }

  async stats(idOrPrefix: string): Promise<ContainerStats__Output> {
    return this.statsOf(await this.refreshed(this.resolve(idOrPrefix)));
  }

  async listStats(filter?: ContainerStatsFilter | null): Promise<ContainerStats__Output[]> {
    const records = await this.filtered(filter);
    return Promise.all(records.map((r) => this.statsOf(r)));
  }

  private async statsOf(record: ContainerRecord): Promise<ContainerStats__Output> {
    if (record.phase === 'exited') return exitedContainerStats(record);
    const now = this.nowNs();
    const counters = await this.runner.stats(record.cgroupPath);
    const { stats, sample } = containerStats(record, counters, now, this.cpuSamples.get(record.id));
    if (sample !== undefined) this.cpuSamples.set(record.id, sample);
    return stats;
  }

  private async createReserved(
    sandbox: SandboxContext,
    config: ContainerConfig,
    name: string,
    attempt: number,
    imageName: string,
  ): Promise<string> {
    const image = await lookUpImage(this.images, imageName);
    const id = newId();
    const dir = this.store.dirOf(id);
    await mkdir(dir, { recursive: true });
    try {
      const imageConfig = await this.images.configFor(image.id);
      const rootfs = await this.runner.mountRootfs(dir, await this.images.layersFor(image.id));
      const built = await buildContainerSpec(
        this.runner,
        id,
        rootfs,
        config,
        imageConfig,
        sandbox,
        this.pidNamespaceTarget(sandbox, config),
      );
      const logPath = logPathOf(sandbox, config, dir);
      await mkdir(dirname(logPath), { recursive: true });
      const stdio: ContainerStdio = {
        stdin: config.stdin === true,
        stdinOnce: config.stdin_once === true,
        tty: config.tty === true,
      };
      const pid = await this.runner
        .create(id, name, dir, built.spec, logPath, stdio)
        .catch((err: unknown) => {
          throw new RuntimeError(
            'InvalidArgument',
            `creating container ${name}: ${messageOf(err)}`,
            { cause: err },
          );
        });
      const record: ContainerRecord = {
        id,
        sandboxId: sandbox.id,
        name,
        attempt,
        image: imageName,
        userSpecifiedImage: config.image?.user_specified_image ?? '',
        imageRef: image.repoDigests[0] ?? image.id,
        imageId: image.id,
        labels: stringMap(config.labels),
        annotations: stringMap(config.annotations),
        mounts: built.requestedMounts.map((m): Mount__Output => ({
          container_path: m.containerPath,
          host_path: m.hostPath,
          readonly: m.readonly,
          selinux_relabel: false,
          propagation: propagation(m.propagation),
          uidMappings: [],
          gidMappings: [],
          recursive_read_only: false,
          image: null,
          image_sub_path: '',
        })),
        logPath,
        cgroupPath: built.spec.linux.cgroupsPath ?? '',
        stopSignal: normalizeSignal(imageConfig.StopSignal),
        user: {
          uid: built.user.uid,
          gid: built.user.gid,
          additionalGids: built.user.additionalGids,
        },
        limits: built.limits,
        stdio,
        createdAtNs: this.nowNs().toString(),
        phase: 'created',
        pid,
      };
      await this.store.save(record);
      this.records.set(id, record);
      return id;
    } catch (err) {
      await this.undoCreate(id, dir, err);
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError('Internal', `creating container ${name}: ${messageOf(err)}`, {
        cause: err,
      });
    }
  }

  /** Removes everything a failed create made, so nothing half-created remains. */
  private async undoCreate(id: string, dir: string, cause: unknown): Promise<void> {
    try {
      await this.runner.destroy(id, dir);
      await this.store.remove(id);
    } catch (cleanupErr) {
      // Left for the next start's sweep of unfinished directories; the caller gets the first error.
      this.log(
        `cleaning up container ${id} after "${messageOf(cause)}" failed: ${messageOf(cleanupErr)}`,
      );
    }
  }

  private async stopLocked(id: string, timeoutSeconds: number): Promise<void> {
    const record = await this.refreshed(id);
    if (record.phase === 'exited') return;
    const dir = this.store.dirOf(id);
    if (record.phase === 'running' && timeoutSeconds > 0) {
      await this.signal(id, record.stopSignal);
      const exit = await this.runner.waitForExit(id, dir, timeoutSeconds * 1000);
      if (exit !== undefined) return void (await this.noteExit(record, exit));
    }
    // --all: with a pod-shared PID namespace the container's init is not PID 1, and its children
    // would outlive it.
    await this.signal(id, 'KILL', true);
    const exit = await this.runner.waitForExit(id, dir, killGraceMs);
    if (exit === undefined) {
      if (!(await this.runner.monitorAlive(dir))) return void (await this.refreshed(id));
      throw new RuntimeError(
        'Internal',
        `container ${id} did not exit within ${killGraceMs} ms of SIGKILL`,
      );
    }
    await this.noteExit(record, exit);
  }

  private async signal(id: string, signal: string, all = false): Promise<void> {
    const pid = this.records.get(id)?.pid ?? 0;
    const direct = all || pid <= 0 ? undefined : nodeSignal(signal);
    try {
      // The container's own process is signalled from here, as the OCI runtime's kill would
      // (a process less on every stop): its pid is conmon's record, and it has not exited — the
      // callers looked at the exit file first. The pid stays the container's until conmon, its
      // parent, has reaped it, which comes with the exit file. --all (every process of the
      // container's cgroup) is the OCI runtime's.
      if (direct !== undefined) process.kill(pid, direct);
      else await this.runner.kill(id, signal, all);
    } catch (err) {
      // The process may have ended between our look and the signal; the exit file will say so.
      this.log(`signalling container ${id} with ${signal}: ${messageOf(err)}`);
    }
  }

  private async noteExit(
    record: ContainerRecord,
    exit: { exitCode: number; finishedAtNs: bigint; oomKilled: boolean },
  ): Promise<void> {
    recordExit(record, exit);
    await this.store.save(record);
  }

  /**
   * The record, updated from conmon's files if the process ended since we last looked. An exit
   * once recorded is final, so only a created or running container is looked at; `exitFiles`
   * (one listing for a whole ListContainers) spares reading the exit file of one that has none.
   */
  private async refreshed(id: string, exitFiles?: ExitFileListing): Promise<ContainerRecord> {
    const record = this.records.get(id);
    if (record === undefined)
      throw new RuntimeError('NotFound', `container ${JSON.stringify(id)} not found`);
    if (record.phase === 'exited') return record;
    const dir = this.store.dirOf(id);
    const mayHaveExited = exitFiles === undefined || (await exitFiles()).has(id);
    const exit = mayHaveExited ? await this.runner.exitStatus(id, dir) : undefined;
    if (exit !== undefined) {
      await this.noteExit(record, exit);
    } else if (await recordLostExit(record, this.conmonOf(id), this.nowNs())) {
      await this.store.save(record);
    }
    return record;
  }

  private conmonOf(id: string): MonitorCheck {
    const dir = this.store.dirOf(id);
    return {
      alive: () => this.runner.monitorAlive(dir),
      exitRecorded: async () => (await this.runner.exitStatus(id, dir)) !== undefined,
      lostMessage:
        "the container's monitor (conmon) is gone and did not record how the container ended",
    };
  }

  private async filtered(
    filter: ContainerFilter | ContainerStatsFilter | null | undefined,
  ): Promise<ContainerRecord[]> {
    const exitFiles = this.runner.exitFileListing();
    const records = await refreshedMatching(
      this.records,
      { id: filter?.id, sandboxId: filter?.pod_sandbox_id, labels: filter?.label_selector },
      (id) => this.refreshed(id, exitFiles),
    );
    return records.sort(byCreation);
  }

  /**
   * For PID namespace mode TARGET: the init process of the container named by target_id, which
   * must be one of the same pod's and not have exited (its namespace goes with its processes).
   */
  private pidNamespaceTarget(sandbox: SandboxContext, config: ContainerConfig): number | undefined {
    const options = config.linux?.security_context?.namespace_options ?? undefined;
    if (options === undefined || namespaceMode(options.pid) !== 'TARGET') return undefined;
    const targetId = options.target_id ?? '';
    if (targetId === '') {
      throw new RuntimeError(
        'InvalidArgument',
        'PID namespace mode TARGET needs namespace_options.target_id',
      );
    }
    const target = this.records.get(this.resolve(targetId));
    if (target === undefined || target.sandboxId !== sandbox.id) {
      throw new RuntimeError(
        'InvalidArgument',
        `target container ${JSON.stringify(targetId)} is not in sandbox ${sandbox.id}`,
      );
    }
    if (target.phase === 'exited') {
      throw new RuntimeError(
        'FailedPrecondition',
        `target container ${target.id} has exited: its PID namespace is gone`,
      );
    }
    return target.pid;
  }

  private resolve(idOrPrefix: string): string {
    return resolveId(this.records.keys(), idOrPrefix, 'container');
  }

  private nowNs(): bigint {
    return BigInt(Math.round(this.clock.now())) * 1_000_000n;
  }
}

function logPathOf(sandbox: SandboxContext, config: ContainerConfig, dir: string): string {
  const relative = config.log_path ?? '';
  if (relative === '') return join(dir, 'container.log');
  if (isAbsolute(relative)) return relative;
  if (sandbox.logDirectory === '') return join(dir, relative);
  return join(sandbox.logDirectory, relative);
}

/** "SIGTERM", "TERM" or "15" → the name the OCI runtime's kill takes. */
/** A stop signal as Node names it (SIGTERM, or a number), or undefined if Node knows no such. */
function nodeSignal(signal: string): NodeJS.Signals | number | undefined {
  if (/^[0-9]+$/.test(signal)) return Number(signal);
  const name = `SIG${signal.toUpperCase().replace(/^SIG/, '')}`;
  return name in constants.signals ? (name as NodeJS.Signals) : undefined;
}

function normalizeSignal(signal: string | undefined): string {
  const value = (signal ?? '').trim().toUpperCase();
  if (value === '') return 'TERM';
  return value.startsWith('SIG') ? value.slice(3) : value;
}
