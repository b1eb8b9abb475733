// The apiserver the benchmark talks to, in its own process (`skiff apiserver` from source on a
// temporary embedded store), so scheduler and apiserver each have a core, as in a cluster.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productionNodeFlags } from './production-node-flags.js';

export interface ApiserverProcess {
  readonly url: string;
  /** CPU time (user + system) the process has used so far, in seconds (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface ApiserverProcessOptions {
  /**
   * Where V8 writes the apiserver's CPU profile (node --cpu-prof) when it exits: its whole life,
   * which the benchmark's printed monotonic window narrows to one phase.
   */
  readonly cpuProfileDir?: string;
}

export async function startApiserverProcess(
  options: ApiserverProcessOptions = {},
): Promise<ApiserverProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-scheduler-bench-'));
  const main = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
  const profile = options.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]
    : [];
  const child = spawn(
    process.execPath,
    [
      // As `skiff apiserver` runs: its bin's node flags (the young generation's size).
      ...productionNodeFlags(),
      ...profile,
      '--conditions=source',
      '--import',
      'tsx',
      main,
      'apiserver',
      '--storage',
      `embedded:${dir}`,
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`skiff apiserver exited with ${String(code)}`)));
  });
  const pid = child.pid ?? 0;
  return {
    url,
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
