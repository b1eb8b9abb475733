// `skiff kubelet` as a real child process, for the e2e tests that need what only a process has:
// a SIGKILL with no shutdown at all (the crash-adoption test), or the command line itself (the
// standalone test). Run from source with tsx, as `pnpm skiff kubelet` runs it; its output goes to
// a log file the caller names, so a failing test leaves it to read.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const skiffMain = join(repoRoot, 'cli', 'src', 'main.ts');

export interface SkiffKubeletProcess {
  /** The port of /healthz, /metrics and /pods (read from its banner). */
  readonly port: number;
  /** Everything it wrote so far (stdout and stderr). */
  log(): Promise<string>;
  /** Sends `signal` and waits for the process to end; its exit code, or null for a signal. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `skiff kubelet <args>` and resolves once it serves (its banner names the port). Rejects
 * with its log if it exits first or does not serve within two minutes (a loaded machine starts
 * tsx slowly).
 */
export async function startSkiffKubelet(
  args: readonly string[],
  logFile: string,
): Promise<SkiffKubeletProcess> {
  await writeFile(logFile, '', { flag: 'a' });
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', skiffMain, 'kubelet', ...args],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const log = (): Promise<string> => readFile(logFile, 'utf8');
  const banner = /health and metrics on http:\/\/[^:]+:(\d+)\/healthz/;
  const deadline = Date.now() + 120_000;
  let port = 0;
  while (port === 0) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const text = await log();
    if (exitCode !== undefined) throw new Error(`skiff kubelet exited (${exitCode}):\n${text}`);
    if (Date.now() > deadline) throw new Error(`skiff kubelet did not serve:\n${text}`);
    port = Number(banner.exec(text)?.[1] ?? 0);
  }
  return {
    port,
    log,
    stop: async (signal) => {
      if (exitCode === undefined) child.kill(signal);
      const code = await exited;
      await new Promise<void>((resolve) => out.end(() => resolve()));
      return code;
    },
  };
}
