// The `skiff` command as a real child process for the CLI's tests, run from source (tsx), with
// its output captured. Whatever a test starts here is killed, and whatever temp dir it makes is
// removed, when the test finishes (latest first: the process dies before its dir goes).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface SkiffProcess {
  /** Everything it wrote to stdout so far. */
  output(): string;
  /** Everything it wrote to stderr so far. */
  errors(): string;
  /** Its exit code once it exits (null when a signal ended it). */
  readonly exit: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `skiff <args>` with no test hook: the caller stops it. For a process a whole suite shares
 * (started in beforeAll, where per-test hooks cannot be registered).
 */
export function spawnSkiff(args: readonly string[]): SkiffProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { output: () => out, errors: () => err, exit, kill: (s) => child.kill(s) };
}

/** Starts `skiff <args>`; SIGKILLed when the test finishes if it is still running. */
export function startSkiff(args: readonly string[]): SkiffProcess {
  const proc = spawnSkiff(args);
  onTestFinished(async () => {
    // A no-op once it has exited: Node never signals a child it has reaped.
    proc.kill('SIGKILL');
    await proc.exit;
  });
  return proc;
}

/** A fresh temporary directory, removed when the test finishes. */
export async function tempDir(prefix = 'skiff-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
