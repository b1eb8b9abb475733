// conmon, the per-container monitor (the one CRI-O uses). skiff starts one per container (an
// ExecSync needs none: linux/oci-exec.ts); conmon runs `<oci runtime> create` so that it is the
// parent of the container's process, holds its stdio and writes it to the log in the CRI format,
// and writes the exit code to `<exit dir>/<id>` when the process ends. Because conmon, not skiff,
// is the parent, containers keep running and their exits keep being recorded while skiff is down.
//
// conmon runs with --sync: it does not fork itself into a daemon but stays the process skiff
// started (in a session of its own, so signals to skiff's group never reach it; when skiff dies
// it is inherited like any orphan). Daemonising cost a fork, and a new process waits its turn for
// a CPU on a loaded machine before it runs: one wait less on every CreateContainer. As conmon
// writes its pid file only when it daemonises, skiff writes it.
//
// --no-sync-log: conmon otherwise fsyncs the container's log before it writes the exit file, so
// every StopContainer waited for a journal commit; containerd does not sync container logs
// either. The log is complete for every reader at once (the page cache); only a machine crash
// right after an exit can lose its last lines.
//
// Protocol (conmon's API version 1): conmon writes JSON lines to the fd named by _OCI_SYNCPIPE:
// `{"data": <pid>}` once the process exists (or `{"data": -1, "message": …}` on failure).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { reopenConmonLog } from './conmon-control.js';
import type { OciRuntime } from './oci-runtime.js';

export interface ConmonCreateOptions {
  readonly id: string;
  /** Name for conmon's logs (the container's name). */
  readonly name: string;
  /** Holds config.json; conmon also puts its control fifos (ctl, winsz) here. */
  readonly bundle: string;
  /** The CRI-format log file (its directory must exist). */
  readonly logPath: string;
  /** Where conmon writes `<id>` with the exit code. */
  readonly exitDir: string;
  /** conmon writes `oom` here when the container's cgroup saw an OOM kill. */
  readonly persistDir: string;
  readonly conmonPidFile: string;
  readonly containerPidFile: string;
  /** CRI's `stdin`, `stdin_once` and `tty` of the container; none of them when undefined. */
  readonly stdio?: ContainerStdio;
}

/** How a container's standard streams are set up (CRI ContainerConfig's stdin, stdin_once, tty). */
export interface ContainerStdio {
  readonly stdin: boolean;
  readonly stdinOnce: boolean;
  readonly tty: boolean;
}

export class Conmon {
  /**
   * The conmons this process started, by bundle, and whether each has exited. conmon runs with
   * --sync, so it stays our child and Node reports its exit: whether it still runs is known here
   * without a look at /proc — a check every refresh of a container and every wait for an exit
   * needs. A restarted runtime did not start the conmons it finds; those are looked up in /proc.
   */
  private readonly started = new Map<string, { exited: boolean }>();

  constructor(
    readonly path: string,
    private readonly runtime: OciRuntime,
    /** Directory for conmon's attach sockets (kept short: socket paths are limited to 108 bytes). */
    private readonly socketDir: string,
  ) {}

  /** Creates the container (state "created"); resolves with the container's pid. */
  async create(options: ConmonCreateOptions): Promise<number> {
    const args = [
      ...this.commonArgs(options.id, options.name),
      '--bundle',
      options.bundle,
      '--sync',
      '--no-sync-log',
      '--container-pidfile',
      options.containerPidFile,
      '--log-path',
      options.logPath,
      '--exit-dir',
      options.exitDir,
      '--persist-dir',
      options.persistDir,
      ...stdioArgs(options.stdio),
    ];
    const messages = await this.runUntilSynced(args, 1, options.bundle, options.conmonPidFile);
    return pidFrom(messages[0], `creating container ${options.id}`);
  }

  /**
   * Whether the conmon of `bundle` still runs, if this process started it; undefined for one it
   * did not start, which only /proc can tell about.
   */
  runs(bundle: string): boolean | undefined {
    const state = this.started.get(bundle);
    return state === undefined ? undefined : !state.exited;
  }

  /** Drops what `runs` knows about the conmon of `bundle` (the container is being destroyed). */
  forget(bundle: string): void {
    this.started.delete(bundle);
  }

  /** Asks the container's conmon to reopen its log file (after the kubelet rotated it). */
  reopenLog(bundle: string): Promise<void> {
    return reopenConmonLog(bundle);
  }

  private commonArgs(id: string, name: string): string[] {
    return [
      '--api-version',
      '1',
      '--cid',
      id,
      '--cuuid',
      id,
      '--name',
      name,
      '--runtime',
      this.runtime.path,
      ...this.runtime.globalArgs.flatMap((a) => ['--runtime-arg', a]),
      '--socket-dir-path',
      this.socketDir,
      '--log-level',
      'error',
    ];
  }

  /**
   * Starts conmon, writes its pid to `pidFile`, and collects `expected` sync messages (fewer if
   * conmon closes the pipe first).
   */
  private runUntilSynced(
    args: readonly string[],
    expected: number,
    bundle: string,
    pidFile: string,
  ): Promise<SyncMessage[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.path, args, {
        // conmon drops files (an `oom` marker, for an exec without --persist-dir) in its working
        // directory: keep them inside the container's bundle, not wherever skiff was started.
        cwd: bundle,
        // fd 3 is the sync pipe. conmon daemonises; detached keeps it out of our process group,
        // so signals meant for skiff (Ctrl-C, a kill of the group) never reach the containers.
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
        env: { ...process.env, _OCI_SYNCPIPE: '3' },
        detached: true,
      });
      // Known from the spawn on: 'exit' comes once Node has reaped it, as a look at /proc would
      // find it gone.
      const state = { exited: false };
      this.started.set(bundle, state);
      child.once('exit', () => (state.exited = true));
      child.once('error', () => {
        if (child.pid === undefined) state.exited = true; // never ran
      });
      let stderr = '';
      let sync = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const pipe = child.stdio[3];
      if (pipe === null || pipe === undefined || !('setEncoding' in pipe)) {
        reject(new Error('conmon was started without its sync pipe'));
        return;
      }
      let settled = false;
      const finish = (messages: SyncMessage[]): void => {
        settled = true;
        // Our copy of the pipe only: conmon's stays open as long as conmon needs it. conmon is
        // our child until it exits (Node reaps it then); unref lets skiff exit meanwhile.
        pipe.destroy();
        child.unref();
        // Written before the pid is handed on, so whoever learns of the container can find its
        // monitor; a pid file that cannot be written fails the create.
        writeFile(pidFile, String(child.pid)).then(
          () => resolve(messages.slice(0, expected)),
          (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
        );
      };
      pipe.setEncoding('utf8');
      pipe.on('data', (chunk: string) => {
        sync += chunk;
        const complete = parseSyncMessages(sync.slice(0, sync.lastIndexOf('\n') + 1));
        if (!settled && complete.length >= expected) finish(complete);
      });
      child.on('error', (err) => {
        if (!settled) reject(new Error(`could not start conmon (${this.path}): ${err.message}`));
        settled = true;
      });
      // 'close' waits for every holder of the pipe, i.e. for the daemonised conmon to finish the
      // create (or the exec) and close its end; by then every message has been sent.
      child.on('close', () => {
        if (settled) return;
        const messages = parseSyncMessages(sync);
        if (messages.length === 0) {
          settled = true;
          const detail = stderr.trim() === '' ? 'nothing on stderr' : stderr.trim();
          reject(new Error(`conmon reported nothing on its sync pipe (${detail})`));
          return;
        }
        finish(messages);
      });
    });
  }
}

/**
 * conmon's stdio flags, as CRI-O passes them. A terminal (-t) is the container's stdin and stdout
 * at once, and conmon never closes it. A stdin pipe (-i) is closed by conmon when an attach
 * client leaves, unless --leave-stdin-open: so only `stdin_once` containers go without it.
 */
function stdioArgs(stdio: ContainerStdio | undefined): string[] {
  if (stdio === undefined) return [];
  if (stdio.tty) return ['--terminal'];
  if (!stdio.stdin) return [];
  return stdio.stdinOnce ? ['--stdin'] : ['--stdin', '--leave-stdin-open'];
}

interface SyncMessage {
  readonly data: number;
  readonly message?: string;
}

function parseSyncMessages(text: string): SyncMessage[] {
  const messages: SyncMessage[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as { data?: unknown; message?: unknown };
    messages.push({
      data: Number(parsed.data),
      ...(typeof parsed.message === 'string' && { message: parsed.message.trim() }),
    });
  }
  return messages;
}

function pidFrom(message: SyncMessage | undefined, what: string): number {
  if (message === undefined) throw new Error(`${what}: conmon sent no pid`);
  if (message.data <= 0) throw new Error(`${what} failed: ${message.message ?? 'no reason given'}`);
  return message.data;
}
