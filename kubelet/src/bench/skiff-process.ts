// A skiff component in a process of its own (`skiff apiserver`, `skiff scheduler`, from source as
// `pnpm skiff` runs them), so the benchmark's own process holds only the kubelet: its CPU and RSS
// are then the kubelet's, and the apiserver gets a core of its own, as on a real node.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SkiffProcess {
  /** The first capture group of the line that said it was ready. */
  readonly ready: string;
  /** CPU time (user + system) used so far, in seconds (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));

/** Starts `skiff <args>` and resolves once its stdout matches `ready` (with one capture group). */
export async function startSkiffProcess(
  args: readonly string[],
  ready: RegExp,
): Promise<SkiffProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const match = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer): void => {
      output += data.toString();
      const m = ready.exec(output);
      if (m?.[1] !== undefined) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`skiff ${args[0] ?? ''} exited with ${String(code)}:\n${output}`)),
    );
  });
  const pid = child.pid ?? 0;
  return {
    ready: match,
    cpuSeconds: () => {
      // utime and stime: fields 14 and 15 of /proc/<pid>/stat, counted after the name's ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async () => {
      process.off('exit', killOnExit);
      child.kill('SIGTERM');
      await exited;
    },
  };
}
