// The process backend: the same CRI verbs on a host without root or namespaces (a laptop, a
// non-root user). A "container" is the command run as a plain host process by a detached Node
// supervisor that writes the CRI log and the exit code; a "sandbox" is only a record.
//
// No isolation is claimed that is not there: every process shares the host's filesystem, network,
// PIDs and user; the image contributes only its Entrypoint/Cmd/Env/WorkingDir, never its files;
// there are no resource limits (UpdateContainerResources is Unimplemented). Status says so.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { realClock, type Clock } from '@skiff/api';
import type {
  ContainerConfig,
  ContainerFilter,
  ContainerStatsFilter,
  ContainerStats__Output,
  ContainerStatus__Output,
  Container__Output,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatsFilter,
  PodSandboxStats__Output,
  PodSandboxStatus__Output,
  PodSandbox__Output,
} from '@skiff/proto';
import { waitForFile } from '../../files/watch-for.js';
import { containerArgs, containerEnv, stringMap } from '../../linux/index.js';
import { KeyedMutex } from '../../network/mutex.js';
import { sandboxStatus, sandboxSummary } from '../../sandboxes/sandbox-status.js';
import type { SandboxRecord } from '../../sandboxes/sandbox-record.js';
import type { RuntimeBackend, RuntimeCondition } from '../backend.js';
import type { ExecSyncResult } from '../container-manager.js';
import { recordExit, type ContainerRecord } from '../container-record.js';
import { containerSummaries, refreshedMatching } from '../container-listing.js';
import { containerStats, exitedContainerStats, type CpuSample } from '../container-stats.js';
import { containerStatus } from '../container-status.js';
import { isRuntimeError, messageOf, RuntimeError } from '../errors.js';
import { byCreation, matchesRecordFilter } from '../filters.js';
import { newId, resolveId } from '../ids.js';
import { lookUpImage } from '../image-lookup.js';
import { loadRecords } from '../load-records.js';
import { recordLostExit, type MonitorCheck } from '../lost-exit.js';
import { RecordStore } from '../record-store.js';
import type { ImageSource } from '../sandbox-context.js';
import {
  findProgram,
  hostAddress,
  isDirectory,
  logPathOf,
  runExec,
  signalGroup,
  supervisorPid,
  waitForPid,
} from './host-process.js';
import { procStats } from './proc-stats.js';
import { podSandboxStats } from '../../sandboxes/sandbox-stats.js';
import type { VerboseDetails } from '../verbose-info.js';
import { launchSupervisor } from './supervisor-launch.js';

export interface ProcessBackendOptions {
  readonly root: string;
  /** Where Entrypoint/Cmd/Env/WorkingDir come from; without it, containers must set command. */
  readonly images?: ImageSource;
  /** Why the linux backend is not used, for Status. */
  readonly reason?: string;
  readonly clock?: Clock;
}

export class ProcessBackend implements RuntimeBackend {
  readonly kind = 'process';
  private readonly sandboxStore: RecordStore<SandboxRecord>;
  private readonly containerStore: RecordStore<ContainerRecord>;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly locks = new KeyedMutex();
  private readonly cpuSamples = new Map<string, CpuSample>();
  private readonly clock: Clock;

  private constructor(private readonly options: ProcessBackendOptions) {
    this.sandboxStore = new RecordStore(join(options.root, 'process', 'sandboxes'), 'sandbox');
    this.containerStore = new RecordStore(join(options.root, 'process', 'containers'), 'container');
    this.clock = options.clock ?? realClock;
  }

  static async open(options: ProcessBackendOptions): Promise<ProcessBackend> {
    const backend = new ProcessBackend(options);
    // An unfinished creation here left only files: no process runs before StartContainer.
    await loadRecords(backend.sandboxStore, backend.sandboxes, (id) =>
      backend.sandboxStore.remove(id),
    );
    await loadRecords(backend.containerStore, backend.containers, (id) =>
      backend.containerStore.remove(id),
    );
    return backend;
  }

  conditions(): Promise<RuntimeCondition[]> {
    const why = this.options.reason === undefined ? '' : ` (${this.options.reason})`;
    return Promise.resolve([
      {
        type: 'RuntimeReady',
        status: true,
        reason: 'ProcessBackendNoIsolation',
        message: `containers run as plain host processes with NO isolation: no namespaces, no cgroup limits, no image filesystem${why}`,
      },
      {
        type: 'NetworkReady',
        status: true,
        reason: 'HostNetworkOnly',
        message: 'no pod network: every pod shares the host network',
      },
    ]);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const meta = config.metadata;
    if (!meta?.name || !meta.namespace || !meta.uid) {
      throw new RuntimeError(
        'InvalidArgument',
        'the sandbox config needs metadata.name, metadata.namespace and metadata.uid',
      );
    }
    const attempt = meta.attempt ?? 0;
    const taken = [...this.sandboxes.values()].find(
      (r) =>
        r.name === meta.name &&
        r.namespace === meta.namespace &&
        r.uid === meta.uid &&
        r.attempt === attempt,
    );
    if (taken !== undefined) {
      throw new RuntimeError(
        'AlreadyExists',
        `sandbox name ${meta.name}_${meta.namespace}_${meta.uid}_${attempt} is already in use by ${taken.id}`,
      );
    }
    const record: SandboxRecord = {
      id: newId(),
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      attempt,
      labels: stringMap(config.labels),
      annotations: stringMap(config.annotations),
      hostname: config.hostname || meta.name,
      logDirectory: config.log_directory ?? '',
      runtimeHandler: '',
      // Honest about what a pod gets here: the node's network, PIDs and IPC.
      modes: { network: 'NODE', pid: 'NODE', ipc: 'NODE' },
      cgroupParent: '',
      ownsCgroupParent: false,
      createdAtNs: this.nowNs().toString(),
      phase: 'ready',
      ip: hostAddress(),
      pausePid: 0,
    };
    if (record.logDirectory !== '') await mkdir(record.logDirectory, { recursive: true });
    await this.sandboxStore.save(record);
    this.sandboxes.set(record.id, record);
    return record.id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const id = resolveId(this.sandboxes.keys(), sandboxId, 'sandbox');
    for (const c of [...this.containers.values()].filter((r) => r.sandboxId === id))
      await this.stopContainer(c.id, 0);
    const record = this.requireSandbox(id);
    record.phase = 'notready';
    await this.sandboxStore.save(record);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const id = this.resolveOrUndefined(this.sandboxes, sandboxId, 'sandbox');
    if (id === undefined) return;
    for (const c of [...this.containers.values()].filter((r) => r.sandboxId === id))
      await this.removeContainer(c.id);
    await this.sandboxStore.remove(id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus__Output> {
    const record = this.requireSandbox(resolveId(this.sandboxes.keys(), sandboxId, 'sandbox'));
    return sandboxStatus(record, record.phase);
  }

  /** No pod cgroup or network namespace here: the pod's stats are its containers'. */
  async podSandboxStats(sandboxId: string): Promise<PodSandboxStats__Output> {
    const record = this.requireSandbox(resolveId(this.sandboxes.keys(), sandboxId, 'sandbox'));
    return podSandboxStats(record, {
      nowNs: this.nowNs(),
      cgroup: undefined,
      interfaces: [],
      containers: await this.listContainerStats({
        id: '',
        pod_sandbox_id: record.id,
        label_selector: {},
      }),
    });
  }

  async listPodSandboxStats(
    filter?: PodSandboxStatsFilter | null,
  ): Promise<PodSandboxStats__Output[]> {
    const matching = [...this.sandboxes.values()]
      .sort(byCreation)
      .filter((r) => r.phase === 'ready')
      .filter((r) => matchesRecordFilter(r, { id: filter?.id, labels: filter?.label_selector }));
    return Promise.all(matching.map((r) => this.podSandboxStats(r.id)));
  }

  podSandboxInfo(sandboxId: string): Promise<VerboseDetails> {
    const record = this.requireSandbox(resolveId(this.sandboxes.keys(), sandboxId, 'sandbox'));
    // No pause process and no namespaces: the pod is a directory and a log directory.
    return Promise.resolve({ processStatus: record.phase === 'ready' ? 'running' : 'stopped' });
  }

  async listPodSandbox(filter?: PodSandboxFilter | null): Promise<PodSandbox__Output[]> {
    const state = filter?.state?.state;
    return [...this.sandboxes.values()]
      .sort(byCreation)
      .filter((r) => matchesRecordFilter(r, { id: filter?.id, labels: filter?.label_selector }))
      .filter(
        (r) =>
          state == null || (r.phase === 'ready') === (state === 'SANDBOX_READY' || state === 0),
      )
      .map((r) => sandboxSummary(r, r.phase));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.requireSandbox(resolveId(this.sandboxes.keys(), sandboxId, 'sandbox'));
    if (sandbox.phase !== 'ready')
      throw new RuntimeError('FailedPrecondition', `sandbox ${sandbox.id} is not ready`);
    const name = config.metadata?.name ?? '';
    const attempt = config.metadata?.attempt ?? 0;
    if (name === '')
      throw new RuntimeError('InvalidArgument', 'the container config has no metadata.name');
    const taken = [...this.containers.values()].find(
      (r) => r.sandboxId === sandbox.id && r.name === name && r.attempt === attempt,
    );
    if (taken !== undefined) {
      throw new RuntimeError(
        'AlreadyExists',
        `container name ${name} (attempt ${attempt}) is already in use by ${taken.id}`,
      );
    }
    const imageName = config.image?.image ?? '';
    const image =
      imageName === '' || this.options.images === undefined
        ? undefined
        : await lookUpImage(this.options.images, imageName);
    const imageConfig =
      image === undefined || this.options.images === undefined
        ? {}
        : await this.options.images.configFor(image.id);
    let args: string[];
    try {
      args = containerArgs({
        command: config.command ?? [],
        args: config.args ?? [],
        entrypoint: imageConfig.Entrypoint ?? [],
        cmd: imageConfig.Cmd ?? [],
      });
    } catch (err) {
      throw new RuntimeError('InvalidArgument', messageOf(err), { cause: err });
    }
    const env = containerEnv(
      imageConfig.Env ?? [],
      (config.envs ?? []).map((e) => ({ key: e.key ?? '', value: e.value ?? '' })),
      {
        hostname: sandbox.hostname,
        home: process.env.HOME ?? '/',
      },
    );
    const envMap = Object.fromEntries(
      env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    );
    const program = args[0] ?? '';
    if (findProgram(program, envMap.PATH ?? '') === undefined) {
      throw new RuntimeError(
        'InvalidArgument',
        `creating container ${name}: ${program} not found on this host`,
      );
    }
    const id = newId();
    const dir = this.containerStore.dirOf(id);
    const wantedCwd = config.working_dir || imageConfig.WorkingDir || '';
    const cwd = wantedCwd !== '' && isDirectory(wantedCwd) ? wantedCwd : dir;
    const logPath = logPathOf(sandbox.logDirectory, config.log_path ?? '', dir);
    await mkdir(dir, { recursive: true });
    await mkdir(dirname(logPath), { recursive: true });
    const record: ContainerRecord = {
      id,
      sandboxId: sandbox.id,
      name,
      attempt,
      image: imageName,
      userSpecifiedImage: config.image?.user_specified_image ?? '',
      imageRef: image === undefined ? '' : (image.repoDigests[0] ?? image.id),
      imageId: image?.id ?? '',
      labels: stringMap(config.labels),
      annotations: stringMap(config.annotations),
      mounts: [],
      logPath,
      cgroupPath: '',
      stopSignal: 'TERM',
      user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, additionalGids: [] },
      limits: {},
      stdio: {
        stdin: config.stdin === true,
        stdinOnce: config.stdin_once === true,
        tty: config.tty === true,
      },
      createdAtNs: this.nowNs().toString(),
      phase: 'created',
      pid: 0,
    };
    // What to run is kept until StartContainer hands it to the supervisor.
    await writeFile(
      join(dir, 'command.json'),
      JSON.stringify({ args, env: envMap, cwd, tty: config.tty === true }),
    );
    await this.containerStore.save(record);
    this.containers.set(id, record);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const id = this.resolveContainer(containerId);
    await this.locks.run(id, async () => {
      const record = await this.refreshed(id);
      if (record.phase !== 'created')
        throw new RuntimeError(
          'FailedPrecondition',
          `container ${id} is ${record.phase}, not created`,
        );
      const dir = this.containerStore.dirOf(id);
      const command = JSON.parse(await readFile(join(dir, 'command.json'), 'utf8')) as {
        args: string[];
        env: Record<string, string>;
        cwd: string;
        tty?: boolean;
      };
      const supervisor = await launchSupervisor(dir, {
        ...command,
        logPath: record.logPath,
        pidFile: join(dir, 'pid'),
        exitFile: join(dir, 'exit'),
      });
      await writeFile(join(dir, 'supervisor.pid'), String(supervisor));
      record.pid = await waitForPid(dir, this.clock);
      record.phase = 'running';
      record.startedAtNs = this.nowNs().toString();
      await this.containerStore.save(record);
    });
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const id = this.resolveContainer(containerId);
    await this.locks.run(id, async () => {
      const record = await this.refreshed(id);
      if (record.phase !== 'running') {
        if (record.phase === 'created')
          recordExit(record, { exitCode: 0, finishedAtNs: this.nowNs(), oomKilled: false });
        await this.containerStore.save(record);
        return;
      }
      const dir = this.containerStore.dirOf(id);
      if (timeoutSeconds > 0) {
        signalGroup(record.pid, 'SIGTERM');
        if (
          await waitForFile(join(dir, 'exit'), {
            timeoutMs: timeoutSeconds * 1000,
            clock: this.clock,
          })
        )
          return void (await this.refreshed(id));
      }
      signalGroup(record.pid, 'SIGKILL');
      if (!(await waitForFile(join(dir, 'exit'), { timeoutMs: 10_000, clock: this.clock }))) {
        throw new RuntimeError('Internal', `container ${id} did not exit within 10 s of SIGKILL`);
      }
      await this.refreshed(id);
    });
  }

  async removeContainer(containerId: string): Promise<void> {
    const id = this.resolveOrUndefined(this.containers, containerId, 'container');
    if (id === undefined) return;
    await this.stopContainer(id, 0);
    await this.locks.run(id, async () => {
      await this.containerStore.remove(id);
      this.containers.delete(id);
      this.cpuSamples.delete(id);
    });
  }

  async containerStatus(containerId: string): Promise<ContainerStatus__Output> {
    return containerStatus(await this.refreshed(this.resolveContainer(containerId)));
  }

  async containerInfo(containerId: string): Promise<VerboseDetails> {
    const record = await this.refreshed(this.resolveContainer(containerId));
    // What the container runs with, as containerd's info shows the OCI process: a streaming exec
    // runs with the same environment and working directory.
    const { env, cwd } = JSON.parse(
      await readFile(join(this.containerStore.dirOf(record.id), 'command.json'), 'utf8'),
    ) as { env: Record<string, string>; cwd: string };
    return {
      sandboxID: record.sandboxId,
      pid: record.pid,
      phase: record.phase,
      isolation: 'none',
      process: { env, cwd },
      stdio: record.stdio ?? { stdin: false, stdinOnce: false, tty: false },
      // Where a terminal's socket is (streaming/process/process-streaming.ts).
      dir: this.containerStore.dirOf(record.id),
    };
  }

  async listContainers(filter?: ContainerFilter | null): Promise<Container__Output[]> {
    return containerSummaries(await this.filtered(filter), filter);
  }

  updateContainerResources(containerId: string, _resources?: unknown): Promise<void> {
    return Promise.reject(
      new RuntimeError(
        'Unimplemented',
        `cannot limit the resources of container ${containerId}: the process backend has no cgroups`,
      ),
    );
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const id = this.resolveContainer(containerId);
    const record = await this.refreshed(id);
    if (record.phase !== 'running')
      throw new RuntimeError(
        'FailedPrecondition',
        `container ${id} is not running: its log cannot be reopened`,
      );
    const supervisor = await supervisorPid(this.containerStore.dirOf(id));
    if (supervisor === undefined)
      throw new RuntimeError('FailedPrecondition', `the supervisor of container ${id} is gone`);
    process.kill(supervisor, 'SIGHUP');
    if (!(await waitForFile(record.logPath, { timeoutMs: 2000, clock: this.clock })))
      throw new RuntimeError('Internal', `${record.logPath} was not reopened`);
  }

  async execSync(
    containerId: string,
    cmd: readonly string[],
    timeoutSeconds: number,
  ): Promise<ExecSyncResult> {
    const id = this.resolveContainer(containerId);
    if (cmd.length === 0) throw new RuntimeError('InvalidArgument', 'exec needs a command');
    const record = await this.refreshed(id);
    if (record.phase !== 'running')
      throw new RuntimeError(
        'FailedPrecondition',
        `container ${id} is ${record.phase}, not running: cannot exec in it`,
      );
    const command = JSON.parse(
      await readFile(join(this.containerStore.dirOf(id), 'command.json'), 'utf8'),
    ) as {
      env: Record<string, string>;
      cwd: string;
    };
    return runExec(cmd, command.env, command.cwd, timeoutSeconds);
  }

  async containerStats(containerId: string): Promise<ContainerStats__Output> {
    return this.statsOf(await this.refreshed(this.resolveContainer(containerId)));
  }

  async listContainerStats(
    filter?: ContainerStatsFilter | null,
  ): Promise<ContainerStats__Output[]> {
    const records = await this.filtered(filter);
    return Promise.all(records.map((r) => this.statsOf(r)));
  }

  private async statsOf(record: ContainerRecord): Promise<ContainerStats__Output> {
    if (record.phase === 'exited') return exitedContainerStats(record);
    const proc =
      record.phase === 'running'
        ? await procStats(record.pid)
        : { cpuUsageNs: undefined, rssBytes: undefined };
    const { stats, sample } = containerStats(
      record,
      {
        cpuUsageNs: proc.cpuUsageNs,
        memoryUsageBytes: proc.rssBytes,
        memoryWorkingSetBytes: proc.rssBytes,
        memoryRssBytes: proc.rssBytes,
        pageFaults: undefined,
        majorPageFaults: undefined,
        nrThrottled: undefined,
        oomKills: undefined,
        processCount: undefined,
      },
      this.nowNs(),
      this.cpuSamples.get(record.id),
    );
    if (sample !== undefined) this.cpuSamples.set(record.id, sample);
    return stats;
  }

  private async refreshed(id: string): Promise<ContainerRecord> {
    const record = this.containers.get(id);
    if (record === undefined)
      throw new RuntimeError('NotFound', `container ${JSON.stringify(id)} not found`);
    if (record.phase !== 'running') return record;
    const exitFile = join(this.containerStore.dirOf(id), 'exit');
    try {
      const [text, info] = await Promise.all([
        readFile(exitFile, 'utf8'),
        stat(exitFile, { bigint: true }),
      ]);
      recordExit(record, {
        exitCode: Number(text.trim()),
        finishedAtNs: info.mtimeNs,
        oomKilled: false,
      });
      await this.containerStore.save(record);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (await recordLostExit(record, this.supervisorOf(id), this.nowNs()))
        await this.containerStore.save(record);
    }
    return record;
  }

  private supervisorOf(id: string): MonitorCheck {
    const dir = this.containerStore.dirOf(id);
    return {
      alive: async () => (await supervisorPid(dir)) !== undefined,
      exitRecorded: () => Promise.resolve(existsSync(join(dir, 'exit'))),
      lostMessage: 'the supervisor is gone and did not record how the command ended',
    };
  }

  /** Oldest first, as the Linux backend lists (maps keep insertion order only until a restart). */
  private async filtered(
    filter: ContainerFilter | ContainerStatsFilter | null | undefined,
  ): Promise<ContainerRecord[]> {
    const records = await refreshedMatching(
      this.containers,
      { id: filter?.id, sandboxId: filter?.pod_sandbox_id, labels: filter?.label_selector },
      (id) => this.refreshed(id),
    );
    return records.sort(byCreation);
  }

  private requireSandbox(id: string): SandboxRecord {
    const record = this.sandboxes.get(id);
    if (record === undefined)
      throw new RuntimeError('NotFound', `sandbox ${JSON.stringify(id)} not found`);
    return record;
  }

  private resolveContainer(idOrPrefix: string): string {
    return resolveId(this.containers.keys(), idOrPrefix, 'container');
  }

  private resolveOrUndefined(
    map: Map<string, unknown>,
    idOrPrefix: string,
    kind: string,
  ): string | undefined {
    try {
      return resolveId(map.keys(), idOrPrefix, kind);
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  private nowNs(): bigint {
    return BigInt(Math.round(this.clock.now())) * 1_000_000n;
  }
}
