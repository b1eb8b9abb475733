// A runtime daemon started by the tests (containerd, or `skiff runtime`): its output goes to a
// log file in the test's temp dir, readiness is "the CRI socket answers", and stopping is
// SIGTERM, then SIGKILL if it does not exit in time. A failure quotes the log's tail, so a CI
// run that could not start a runtime says why.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { RuntimeServiceClient } from '@skiff/proto';

export interface Daemon {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  /** The last lines of its output. */
  tail(lines?: number): Promise<string>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function startDaemon(
  name: string,
  command: string,
  args: readonly string[],
  logFile: string,
  options: SpawnOptions = {},
): Daemon {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = async (lines = 20): Promise<string> =>
    (await readFile(logFile, 'utf8')).split('\n').slice(-lines).join('\n');
  return {
    name,
    process: child,
    logFile,
    tail,
    stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Let the pipes drain into the log before anyone reads it.
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}

/** Resolves once the daemon's CRI socket accepts calls; rejects if it exits or time runs out. */
export function waitForCri(
  daemon: Daemon,
  client: RuntimeServiceClient,
  timeoutMs = 30_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      void daemon
        .tail()
        .then((tail) =>
          reject(
            new Error(`${daemon.name} exited (${code ?? signal}) before serving CRI:\n${tail}`),
          ),
        );
    };
    daemon.process.once('exit', onExit);
    client.waitForReady(Date.now() + timeoutMs, (err) => {
      daemon.process.off('exit', onExit);
      if (err === undefined || err === null) {
        resolve();
        return;
      }
      void daemon
        .tail()
        .then((tail) =>
          reject(
            new Error(
              `${daemon.name} did not serve CRI in ${timeoutMs} ms: ${err.message}\n${tail}`,
            ),
          ),
        );
    });
  });
}
