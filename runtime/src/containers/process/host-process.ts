// Host-process helpers of the process backend: running an exec, signalling a command's process
// group, finding programs on PATH, and waiting on the supervisor's files.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants as osConstants, networkInterfaces } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Clock } from '@skiff/api';
import { exists } from '../../files/exists.js';
import { DEFAULT_FALLBACK_POLL_MS, watchFor } from '../../files/watch-for.js';
import type { ExecSyncResult } from '../container-manager.js';
import { RuntimeError } from '../errors.js';

export function runExec(
  cmd: readonly string[],
  env: Record<string, string>,
  cwd: string,
  timeoutSeconds: number,
): Promise<ExecSyncResult> {
  return new Promise((resolve, reject) => {
    const [program = '', ...args] = cmd;
    const child = spawn(program, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => {
            timedOut = true;
            signalGroup(child.pid ?? 0, 'SIGKILL');
          }, timeoutSeconds * 1000)
        : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new RuntimeError('InvalidArgument', `exec ${JSON.stringify(cmd)}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new RuntimeError(
            'DeadlineExceeded',
            `command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`,
          ),
        );
        return;
      }
      const signalNumber = signal === null ? 127 : (osConstants.signals[signal] ?? 127);
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        exitCode: code ?? 128 + signalNumber,
      });
    });
  });
}

/** Signals the command's whole process group; one that is already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** The command's pid once the supervisor has started it (0 if it already exited). */
export async function waitForPid(dir: string, clock: Clock): Promise<number> {
  const pidFile = join(dir, 'pid');
  const pid = await watchFor(
    dir,
    ['pid', 'exit'],
    async () => {
      if (await exists(pidFile)) return Number(await readFile(pidFile, 'utf8'));
      if (await exists(join(dir, 'exit'))) return 0;
      return undefined;
    },
    { timeoutMs: 10_000, fallbackPollMs: DEFAULT_FALLBACK_POLL_MS, clock },
  );
  if (pid === undefined) {
    throw new RuntimeError(
      'Internal',
      `the supervisor in ${dir} did not start the command within 10 s`,
    );
  }
  return pid;
}

/** The supervisor's pid if it still runs. */
export async function supervisorPid(dir: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number((await readFile(join(dir, 'supervisor.pid'), 'utf8')).trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('supervisor') ? pid : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function findProgram(program: string, searchPath: string): string | undefined {
  const candidates = program.includes('/')
    ? [program]
    : searchPath
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, program));
  return candidates.find((c) => {
    try {
      accessSync(c, constants.X_OK);
      return statSync(c).isFile();
    } catch (err) {
      if (['ENOENT', 'EACCES', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? ''))
        return false;
      throw err;
    }
  });
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export function logPathOf(logDirectory: string, logPath: string, dir: string): string {
  if (logPath === '') return join(dir, 'container.log');
  if (isAbsolute(logPath)) return logPath;
  return join(logDirectory === '' ? dir : logDirectory, logPath);
}

/** The host's first non-loopback IPv4 address: with no pod network, that is where a pod is. */
export function hostAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found !== undefined) return found.address;
  }
  return '127.0.0.1';
}
