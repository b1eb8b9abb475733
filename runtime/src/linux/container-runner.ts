// The kernel side of one container, pause containers included: its bundle directory, its overlay
// rootfs, conmon and the OCI runtime. Callers (the container and sandbox managers) decide what to
// run and keep the records; this class only makes it so and reads back what happened.
//
// A container's directory:
//   config.json          the OCI spec            rootfs/ upper/ work/   the overlay
//   conmon.pid, pid      conmon's and the container's pids
//   persist/oom          written by conmon on an OOM kill in the container's cgroup
//   ctl, winsz           conmon's control fifos
//   attach               conmon's attach socket (SOCK_SEQPACKET; see linux/conmon-attach.ts)
// and `<exitDir>/<id>` holds the exit code once the process has ended (written by conmon).
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realClock, type Clock } from '@skiff/api';
import { boundingSetOf } from './capabilities.js';
import { CgroupLayout, type CgroupStats } from './cgroups.js';
import { Conmon, type ContainerStdio } from './conmon.js';
import type { LinuxHostTools } from './host-check.js';
import { execProcessOf, writeExecFiles } from './exec-files.js';
import { runOciExec, type OciExecResult } from './oci-exec.js';
import { OciRuntime, type OciState } from './oci-runtime.js';
import type { OciProcess, OciResources, OciSpec } from './oci-spec.js';
import { mountOverlay, overlayPaths, unmountOverlay } from './overlay.js';
import { exists } from '../files/exists.js';
import { watchFor } from '../files/watch-for.js';
import { together } from '../network/together.js';

export interface ExitStatus {
  readonly exitCode: number;
  /** When conmon wrote the exit file: the process's end, even if skiff was down then. */
  readonly finishedAtNs: bigint;
  readonly oomKilled: boolean;
}

/** See ContainerRunner.exitFileListing. */
export type ExitFileListing = () => Promise<ReadonlySet<string>>;

export interface ContainerRunnerOptions {
  readonly tools: LinuxHostTools;
  /** skiff's runtime root; conmon's exit files and the OCI runtime's state go below it. */
  readonly root: string;
  /** Where the OCI runtime keeps its state; tmpfs is right (it describes live processes). */
  readonly ociStateRoot?: string;
  /** Times the waits for exits; default the real clock. */
  readonly clock?: Clock;
}

/**
 * How often a wait for an exit also checks that conmon still lives. The exit file's appearance is
 * seen at once (inotify); this only bounds how late a wait notices a conmon killed before it could
 * write one, which is rare, so it need not be frequent.
 */
const monitorPollMs = 100;

export class ContainerRunner {
  readonly oci: OciRuntime;
  readonly conmon: Conmon;
  readonly exitDir: string;
  private readonly execDir: string;
  private readonly clock: Clock;
  /** conmon pids of containers this process did not create, read once from their pid files. */
  private readonly adoptedConmonPids = new Map<string, number>();
  /** Each container's OCI process, the template of its execs (see containerProcess). */
  private readonly containerProcesses = new Map<string, OciProcess>();

  private constructor(
    options: ContainerRunnerOptions,
    readonly cgroups: CgroupLayout,
    /** /proc/sys/kernel/cap_last_cap. */
    readonly lastCap: number,
    /** This process's bounding set (CapBnd): all a privileged container can be given. */
    readonly boundingSet: bigint,
    /** This process's oom_score_adj: containers may not be given less (see resources-spec.ts). */
    readonly ownOomScoreAdj: number,
    /** This process's hard RLIMIT_NOFILE, the most a container can be given. */
    readonly nofileLimit: number,
  ) {
    this.oci = new OciRuntime(
      options.tools.ociRuntime.path,
      options.ociStateRoot ?? join(options.root, 'oci'),
    );
    this.conmon = new Conmon(options.tools.conmon, this.oci, join(options.root, 'sockets'));
    this.exitDir = join(options.root, 'exits');
    this.execDir = join(options.root, 'execs');
    this.clock = options.clock ?? realClock;
  }

  static async open(options: ContainerRunnerOptions): Promise<ContainerRunner> {
    const runner = new ContainerRunner(
      options,
      await CgroupLayout.detect(),
      Number((await readFile('/proc/sys/kernel/cap_last_cap', 'utf8')).trim()),
      boundingSetOf(await readFile('/proc/self/status', 'utf8')),
      Number((await readFile('/proc/self/oom_score_adj', 'utf8')).trim()),
      hardNofileLimit(await readFile('/proc/self/limits', 'utf8')),
    );
    for (const dir of [
      runner.exitDir,
      runner.execDir,
      runner.oci.stateRoot,
      join(options.root, 'sockets'),
    ]) {
      await mkdir(dir, { recursive: true });
    }
    return runner;
  }

  rootfsOf(dir: string): string {
    return overlayPaths(dir).merged;
  }

  /** Mounts the rootfs from the image's layers (lowest first); idempotent. */
  async mountRootfs(dir: string, layers: readonly string[]): Promise<string> {
    const paths = overlayPaths(dir);
    await mountOverlay(layers, paths);
    return paths.merged;
  }

  /** Writes the bundle and has conmon create the container; resolves with its pid. */
  async create(
    id: string,
    name: string,
    dir: string,
    spec: OciSpec,
    logPath: string,
    stdio?: ContainerStdio,
  ): Promise<number> {
    await mkdir(join(dir, 'persist'), { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify(spec, null, 2));
    this.containerProcesses.set(id, spec.process);
    return this.conmon.create({
      id,
      name,
      bundle: dir,
      logPath,
      exitDir: this.exitDir,
      persistDir: join(dir, 'persist'),
      conmonPidFile: join(dir, 'conmon.pid'),
      containerPidFile: join(dir, 'pid'),
      ...(stdio !== undefined && { stdio }),
    });
  }

  start(id: string): Promise<void> {
    return this.oci.start(id);
  }

  kill(id: string, signal: string, all = false): Promise<void> {
    return this.oci.kill(id, signal, all);
  }

  state(id: string): Promise<OciState | undefined> {
    return this.oci.state(id);
  }

  /** The recorded exit, or undefined while the process has not ended (or never started). */
  async exitStatus(id: string, dir: string): Promise<ExitStatus | undefined> {
    const file = join(this.exitDir, id);
    let text: string;
    let mtimeNs: bigint;
    try {
      [text, mtimeNs] = await Promise.all([
        readFile(file, 'utf8'),
        stat(file, { bigint: true }).then((s) => s.mtimeNs),
      ]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`reading the exit file of ${id}: ${(err as Error).message}`, { cause: err });
    }
    // conmon may have created the file and not yet written the code: not ended for us yet.
    if (!/^-?[0-9]+$/.test(text.trim())) return undefined;
    return {
      exitCode: Number(text.trim()),
      finishedAtNs: mtimeNs,
      oomKilled: await exists(join(dir, 'persist', 'oom')),
    };
  }

  /**
   * The ids whose exit file exists, listed once on first use (and only if used): a list of every
   * container looks at the exit directory once, and reads the exit files only of the containers
   * it names rather than trying each container's.
   */
  exitFileListing(): ExitFileListing {
    let listed: Promise<ReadonlySet<string>> | undefined;
    return () =>
      (listed ??= readdir(this.exitDir).then(
        (names) => new Set(names),
        (err: NodeJS.ErrnoException) => {
          // No directory, no exit files: as a look at each file would have found none.
          if (err.code === 'ENOENT') return new Set<string>();
          throw new Error(`listing ${this.exitDir}: ${err.message}`, { cause: err });
        },
      ));
  }

  /** Whether the container's conmon still runs (it lives as long as the container does). */
  async monitorAlive(dir: string): Promise<boolean> {
    const ours = this.conmon.runs(dir);
    if (ours !== undefined) return ours;
    // Started by an earlier runtime process: only /proc tells. Its pid file never changes.
    let pid = this.adoptedConmonPids.get(dir);
    if (pid === undefined) {
      pid = await readPid(join(dir, 'conmon.pid'));
      if (pid === undefined) return false;
      this.adoptedConmonPids.set(dir, pid);
    }
    try {
      return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'conmon';
    } catch (err) {
      // ESRCH: conmon is exiting (with --sync it is our child, and a zombie until Node reaps it).
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ESRCH') return false;
      throw new Error(`checking conmon ${pid}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Resolves with the exit once conmon has written it, or undefined after `timeoutMs` (or at once
   * when conmon is gone without writing one: none will ever come).
   */
  async waitForExit(id: string, dir: string, timeoutMs: number): Promise<ExitStatus | undefined> {
    const outcome = await watchFor(
      this.exitDir,
      id,
      async () => {
        const status = await this.exitStatus(id, dir);
        if (status !== undefined) return { status };
        if (await this.monitorAlive(dir)) return undefined;
        // Looked again: conmon may have written the file and exited between the two looks.
        return { status: await this.exitStatus(id, dir) };
      },
      { timeoutMs, fallbackPollMs: monitorPollMs, clock: this.clock },
    );
    return outcome?.status;
  }

  /**
   * Removes every trace of the container from the kernel and the OCI runtime (killing it if it
   * still runs) and unmounts its rootfs. Safe to repeat, and safe on a half-created container.
   */
  async destroy(id: string, dir: string): Promise<void> {
    this.containerProcesses.delete(id);
    this.conmon.forget(dir);
    this.adoptedConmonPids.delete(dir);
    if ((await this.exitStatus(id, dir)) !== undefined) {
      // The process is gone: forgetting it and unmounting its rootfs are independent.
      await together([this.oci.delete(id), unmountOverlay(overlayPaths(dir))]);
    } else {
      // It may still run: the OCI runtime kills it before its rootfs is taken away.
      await this.oci.delete(id);
      await unmountOverlay(overlayPaths(dir));
    }
    await rm(join(this.exitDir, id), { force: true });
  }

  /** Runs `argv` in the running container as ExecSync does; see oci-exec.ts. */
  async exec(
    id: string,
    dir: string,
    argv: readonly string[],
    timeoutSeconds: number,
  ): Promise<OciExecResult> {
    const files = writeExecFiles(
      this.execDir,
      id,
      execProcessOf(await this.containerProcess(id, dir), argv, false),
    );
    try {
      return await runOciExec({
        ociRuntime: this.oci.path,
        globalArgs: this.oci.globalArgs,
        containerId: id,
        processFile: files.processFile,
        pidFile: files.pidFile,
        timeoutMs: timeoutSeconds * 1000,
        clock: this.clock,
      });
    } finally {
      files.remove();
    }
  }

  /**
   * The container's process from its config.json, read once per container and kept: it never
   * changes after create, and every ExecSync needs it (a readiness probe may exec every second).
   */
  private async containerProcess(id: string, dir: string): Promise<OciProcess> {
    const known = this.containerProcesses.get(id);
    if (known !== undefined) return known;
    const spec = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as OciSpec;
    this.containerProcesses.set(id, spec.process);
    return spec.process;
  }

  reopenLog(dir: string): Promise<void> {
    return this.conmon.reopenLog(dir);
  }

  update(id: string, dir: string, resources: OciResources): Promise<void> {
    return this.oci.update(id, resources, dir);
  }

  stats(cgroupPath: string): Promise<CgroupStats> {
    return this.cgroups.stats(cgroupPath);
  }
}

function hardNofileLimit(limits: string): number {
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.split(/\s{2,}/)[2];
  // "unlimited" cannot be given to RLIMIT_NOFILE; the kernel's nr_open default is the real cap.
  return hard !== undefined && /^[0-9]+$/.test(hard) ? Number(hard) : 1_048_576;
}

async function readPid(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`reading ${path}: ${(err as Error).message}`, { cause: err });
  }
}
