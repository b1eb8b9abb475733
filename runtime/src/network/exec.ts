// Every command that touches the kernel (ip, iptables, nft) goes through here, so a failure always
// reads the same way: which command, how it ended, and what it said on stderr. Commands run
// without a shell: arguments are passed as they are and nothing is interpolated.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface RunOptions {
  /** Written to the command's stdin (nft reads its rule scripts from there). */
  readonly input?: string;
  /** A command still running after this long is killed; `ip` never takes seconds on a healthy host. */
  readonly timeoutMs?: number;
}

const defaultTimeoutMs = 30_000;

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    detail: string,
  ) {
    super(`\`${argv.join(' ')}\` ${detail}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Runs a command; resolves with its output whatever its exit code, rejects only if it could not run. */
export function tryRun(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const argv = [command, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new CommandError(argv, null, stderr, `was killed after ${timeoutOf(options)} ms`));
    }, timeoutOf(options));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new CommandError(argv, null, stderr, `could not start (${err.message})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) {
        reject(new CommandError(argv, null, stderr, `was killed by ${signal ?? 'a signal'}`));
        return;
      }
      resolve({ stdout, stderr, exitCode: code });
    });
    // A command that exits before reading its stdin closes the pipe; that is its answer, not ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a command and rejects with a CommandError unless it exits 0. */
export async function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const result = await tryRun(command, args, options);
  if (result.exitCode !== 0) {
    throw new CommandError(
      [command, ...args],
      result.exitCode,
      result.stderr,
      `exited with ${result.exitCode}`,
    );
  }
  return result.stdout;
}

function timeoutOf(options: RunOptions): number {
  return options.timeoutMs ?? defaultTimeoutMs;
}

/**
 * The absolute path of an executable found on `searchPath` (a PATH-style list), or undefined.
 * Looking tools up once, by path, lets the network say up front what it can do (NAT or not)
 * instead of discovering it halfway through a pod's setup.
 */
export function findExecutable(name: string, searchPath: string): string | undefined {
  if (isAbsolute(name)) return isExecutable(name) ? name : undefined;
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch (err) {
    if (isMissingOrDenied(err)) return false;
    throw err;
  }
}

function isMissingOrDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR';
}
