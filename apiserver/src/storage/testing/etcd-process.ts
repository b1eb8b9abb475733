// A real etcd server for tests, benchmarks and e2e runs: one process on two free loopback ports
// with its own temporary data dir. Deliberately free of vitest so non-test code (the storage
// benchmark, e2e drivers) can use it too; `./etcd-fixture.ts` wires it into vitest hooks.
//
// Orphans are the failure mode that matters here: an etcd left running after a test run holds its
// ports and data dir forever. Three layers prevent that: callers stop() it (afterAll), a
// process 'exit' hook SIGKILLs whatever is still running, and a tiny watchdog shell per etcd
// kills it when our process dies without running hooks at all (SIGKILL, crash of the worker).
import { errorMessage } from '@skiff/api';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../testing/find-on-path.js';

export interface EtcdProcess {
  /** Client URL, e.g. `http://127.0.0.1:40123`: pass it to openEtcdStorage({ endpoints: [...] }). */
  readonly endpoint: string;
  readonly dataDir: string;
  /** etcd's stdout+stderr, appended across restarts. Named in every error this module throws. */
  readonly logPath: string;
  /** True between a successful start and stop()/kill(). */
  readonly running: boolean;
  /** The etcd process while it runs (benchmarks read its CPU time from /proc). */
  readonly pid: number | undefined;
  /** Graceful shutdown (SIGTERM, SIGKILL after a grace period). Data dir and ports are kept. */
  stop(): Promise<void>;
  /** Crash: SIGKILL, no shutdown. Data dir and ports are kept. */
  kill(): Promise<void>;
  /** Start again on the same ports and data dir (stops it first if it is running). */
  restart(): Promise<void>;
  /** Freeze the process (SIGSTOP): connections stay open but nothing answers. */
  pause(): Promise<void>;
  /** Undo pause() (SIGCONT). */
  resume(): void;
  /** stop() and remove the temporary directory (data and log). */
  destroy(): Promise<void>;
}

export interface StartEtcdOptions {
  /** How long to wait for etcd to answer /health. Default 20 s (2 shared cores, fsync on). */
  readonly startTimeoutMs?: number;
}

const INSTALL_HINT = 'install it with `apt-get install -y etcd-server`';
const STOP_GRACE_MS = 5_000;

/** Start etcd and resolve once it answers; the caller owns the returned process. */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const binary = findEtcdBinary();
  // The ports are free when we pick them but another process may grab one before etcd binds
  // it; that is the only failure worth a second try (on a fresh dir: etcd records its URLs).
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
    const [clientPort, peerPort] = await freePorts(2);
    if (clientPort === undefined || peerPort === undefined)
      throw new Error('no free ports for etcd');
    const etcd = new LocalEtcd(binary, dir, clientPort, peerPort, options.startTimeoutMs ?? 20_000);
    try {
      await etcd.start();
      return etcd;
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('address already in use')) throw err;
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The etcd binary on `searchPath` (Debian's etcd-server puts it in /usr/bin); a clear error if absent. */
export function findEtcdBinary(searchPath = process.env.PATH ?? ''): string {
  const binary = findOnPath('etcd', searchPath);
  if (binary === undefined)
    throw new Error(`etcd binary not found on PATH (${searchPath}); ${INSTALL_HINT}`);
  return binary;
}

/** Ports the kernel handed out and we released again; etcd binds them right after. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** Every etcd this process started and has not stopped yet, for the exit hook. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a signal is all we can do, and all we need.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

class LocalEtcd implements EtcdProcess {
  readonly endpoint: string;
  readonly logPath: string;
  private child: ChildProcess | undefined;
  private watchdog: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly binary: string,
    readonly dataDir: string,
    private readonly clientPort: number,
    private readonly peerPort: number,
    private readonly startTimeoutMs: number,
  ) {
    this.endpoint = `http://127.0.0.1:${clientPort}`;
    this.logPath = join(dataDir, 'etcd.log');
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`etcd at ${this.endpoint} is already running`);
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const args = [
      '--name=skiff-test',
      `--data-dir=${join(this.dataDir, 'data')}`,
      `--listen-client-urls=${this.endpoint}`,
      `--advertise-client-urls=${this.endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=skiff-test=${peer}`,
      '--initial-cluster-state=new',
      '--logger=zap',
    ];
    const log = openSync(this.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.binary, args, { stdio: ['ignore', log, log] });
    } finally {
      closeSync(log); // the child holds its own copy of the descriptor
    }
    const pid = child.pid;
    if (pid === undefined) {
      const spawnError = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(
        `could not spawn ${this.binary}: ${spawnError.message} (${INSTALL_HINT}); log: ${this.logPath}`,
      );
    }
    this.child = child;
    live.add(child);
    installExitHook();
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    this.watchdog = spawnWatchdog(pid);
    try {
      await this.waitHealthy(child);
    } catch (err) {
      await this.kill();
      throw err;
    }
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    let lastError = 'no answer yet';
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `etcd exited during startup (${child.exitCode ?? child.signalCode}); ` +
            `log: ${this.logPath}\n${tail(this.logPath)}`,
        );
      }
      try {
        if (await this.healthy()) return;
        lastError = '/health did not report healthy';
      } catch (err) {
        lastError = errorMessage(err);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `etcd at ${this.endpoint} did not become healthy within ${this.startTimeoutMs} ms ` +
        `(${lastError}); log: ${this.logPath}\n${tail(this.logPath)}`,
    );
  }

  private healthy(): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.endpoint}/health`, { timeout: 1_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(res.statusCode === 200 && body.includes('"true"')));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('health check timed out')));
      req.on('error', reject);
      req.end();
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    this.stopWatchdog();
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // A frozen process still dies of SIGKILL; SIGCONT is not needed first.
    child.kill('SIGKILL');
    await this.exited;
    this.stopWatchdog();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async pause(): Promise<void> {
    this.signal('SIGSTOP');
    // Signal delivery is asynchronous: a request sent right after kill() could still be
    // answered. Wait until every thread of etcd is really stopped.
    const pid = this.child?.pid;
    const deadline = Date.now() + 5_000;
    while (pid !== undefined && !allThreadsStopped(pid)) {
      if (Date.now() > deadline) throw new Error(`etcd (pid ${pid}) did not stop on SIGSTOP`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  resume(): void {
    this.signal('SIGCONT');
  }

  async destroy(): Promise<void> {
    if (this.child) {
      this.resume(); // a paused etcd would ignore SIGTERM until the grace period ran out
      await this.stop();
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.child) throw new Error(`etcd at ${this.endpoint} is not running`);
    this.child.kill(signal);
  }

  private stopWatchdog(): void {
    this.watchdog?.kill('SIGKILL');
    this.watchdog = undefined;
  }
}

/**
 * A shell that waits for EOF on a pipe from us and then SIGKILLs etcd. The kernel closes the pipe
 * when our process dies in any way, so etcd cannot outlive us. It is unref'd: it never keeps our
 * event loop alive.
 */
function spawnWatchdog(etcdPid: number): ChildProcess {
  const watchdog = spawn(
    'sh',
    ['-c', 'read -r _ignored; kill -KILL "$0" 2>/dev/null', String(etcdPid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watchdog.unref();
  const stdin = watchdog.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null;
  stdin?.unref?.();
  return watchdog;
}

/** Linux: state `T` (stopped) in /proc/<pid>/task/<tid>/stat for every thread. */
function allThreadsStopped(pid: number): boolean {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.every((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  });
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(could not read ${path}: ${errorMessage(err)})`;
  }
}
