// A `skiff <component>` child process of `skiff up`: the same node, the same entry script and
// node flags as this process (so it works from dist/ and from source under tsx alike, and
// skiff's own, ./node-flags.ts, reach it), its stdout and stderr appended to a log file.
// Stopping it sends SIGTERM and waits for the exit.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { errorMessage, pollUntil, realClock } from '@skiff/api';

export interface SkiffChild {
  readonly name: string;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** The exit code (or signal name) once it exited; undefined while it runs. */
  exited(): number | string | undefined;
  /** Resolves once it has exited. */
  readonly exit: Promise<number | string>;
  /** SIGTERM, then waits; after `graceMs` SIGKILL, so a stuck child cannot hold `up` forever. */
  stop(graceMs?: number): Promise<void>;
}

export function startSkiffChild(
  name: string,
  args: readonly string[],
  logFile: string,
): SkiffChild {
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot tell which script runs skiff');
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} skiff ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let code: number | string | undefined;
  const exit = new Promise<number | string>((resolve) => {
    child.once('exit', (c, signal) => {
      code = c ?? signal ?? 'unknown';
      // The log ends once the child's pipes are drained.
      child.once('close', () => log.end(() => resolve(code ?? 'unknown')));
    });
  });
  return {
    name,
    pid: child.pid,
    logFile,
    exited: () => code,
    exit,
    stop: async (graceMs = 30_000) => {
      if (code !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `ready` until it resolves true. Fails as soon as the child exits, or after `timeoutMs`,
 * with a message that points at the child's log.
 */
export async function waitForChild(
  child: SkiffChild,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  let lastError = '';
  const signal = AbortSignal.timeout(timeoutMs);
  const ok = await pollUntil(
    async () => {
      if (child.exited() !== undefined) return true;
      try {
        return await ready();
      } catch (err) {
        lastError = errorMessage(err);
        return false;
      }
    },
    100,
    { clock: realClock, signal },
  );
  const code = child.exited();
  if (code !== undefined) {
    throw new Error(`${child.name} exited (${code}) before ${what}; see ${child.logFile}`);
  }
  if (!ok) {
    throw new Error(
      `${child.name}: no ${what} after ${timeoutMs / 1000} s${lastError ? ` (${lastError})` : ''}; see ${child.logFile}`,
    );
  }
}
