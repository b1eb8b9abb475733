// ExecSync's process: the OCI runtime's `exec --process <file> <id>` as a child of skiff, its
// stdout and stderr read from pipes — as containerd's shim runs `runc exec` itself, with no
// monitor of its own in between. An exec lives no longer than the call that waits for it, so
// nothing needs to outlive skiff (unlike a container, whose parent is conmon). On timeout the
// process is SIGKILLed (its pid from --pid-file) and the call returns once the OCI runtime, its
// parent, has reaped it, so the next exec never sees it as a zombie, as containerd.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Clock } from '@skiff/api';
import { exists } from '../files/exists.js';

export interface OciExecOptions {
  /** The OCI runtime binary and its global flags (--root). */
  readonly ociRuntime: string;
  readonly globalArgs: readonly string[];
  readonly containerId: string;
  /** The OCI process file (the container's process with the exec's argv). */
  readonly processFile: string;
  /** Where the OCI runtime writes the exec's pid (read on timeout only). */
  readonly pidFile: string;
  /** 0 for none. */
  readonly timeoutMs: number;
  readonly clock: Clock;
}

export interface OciExecResult {
  /** The exec's exit code (128+n for a signal n), or undefined when it timed out. */
  readonly exitCode: number | undefined;
  readonly timedOut: boolean;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

export function runOciExec(options: OciExecOptions): Promise<OciExecResult> {
  const args = [
    ...options.globalArgs,
    'exec',
    '--pid-file',
    options.pidFile,
    '--process',
    options.processFile,
    options.containerId,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(options.ociRuntime, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer =
      options.timeoutMs > 0
        ? options.clock.setTimer(options.timeoutMs, () => {
            timedOut = true;
            killExec(options.pidFile).catch((err: unknown) => {
              // No pid to kill: the exec has not started or has just ended; its runtime's exit
              // settles the call either way. Anything else would leave it running: say so.
              child.kill('SIGKILL');
              reject(err instanceof Error ? err : new Error(String(err)));
            });
          })
        : undefined;
    child.on('error', (err) => {
      timer?.cancel();
      reject(new Error(`could not start ${options.ociRuntime} exec: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      timer?.cancel();
      const out = Buffer.concat(stdout);
      const err = Buffer.concat(stderr);
      if (timedOut) {
        resolve({ exitCode: undefined, timedOut: true, stdout: out, stderr: err });
        return;
      }
      if (code === null) {
        reject(new Error(`${options.ociRuntime} exec was killed by ${signal ?? 'a signal'}`));
        return;
      }
      // The pid file is written once the process exists: without it the OCI runtime itself
      // failed (no such executable, container stopped) and its stderr says why.
      exists(options.pidFile).then(
        (started) => {
          if (started) resolve({ exitCode: code, timedOut: false, stdout: out, stderr: err });
          else reject(new Error(`${options.ociRuntime} exec failed: ${err.toString().trim()}`));
        },
        (failed: unknown) => reject(failed instanceof Error ? failed : new Error(String(failed))),
      );
    });
  });
}

/** SIGKILLs the exec named in its pid file; an exec already gone is fine. */
async function killExec(pidFile: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
