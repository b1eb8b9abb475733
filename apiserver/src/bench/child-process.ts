// Servers the benchmark measures run in their own processes, as they do in a cluster: the load
// generator then competes with them for the CPU the way real clients would, and RSS is the
// server's alone. A child announces readiness by printing a line the caller recognises.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** Resident set size now, from /proc/<pid>/status (VmRSS), in MiB. */
  rssMiB(): number;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** CPU time (user + system) the process has used so far, in seconds, from /proc/<pid>/stat. */
  readonly cpuSeconds: () => number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function spawnServer(
  command: string,
  args: readonly string[],
  listening: RegExp,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ChildServer> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  let output = '';
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} ${args.join(' ')} did not start: ${errors}`)),
      options.timeoutMs ?? 60_000,
    );
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const match = listening.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${String(code)} before listening: ${errors}`));
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${command} has no pid`);
  return {
    url,
    pid,
    rssMiB: () => procStatusMiB(pid, 'VmRSS'),
    peakRssMiB: () => procStatusMiB(pid, 'VmHWM'),
    cpuSeconds: () => procCpuSeconds(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function procStatusMiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) process `pid` has used so far. */
export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces, so fields are counted after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) {
    throw new Error(`unreadable /proc/${pid}/stat: ${stat.slice(0, 200)}`);
  }
  return (user + system) / TICKS_PER_SECOND;
}

/** `skiff apiserver` on a store, from the TypeScript sources (tsx) or the built CLI. */
export function startApiserver(
  repoRoot: string,
  storage: string,
  options: { built: boolean; nodeFlags?: readonly string[] },
): Promise<ChildServer> {
  const entry = options.built
    ? ['cli/dist/main.js']
    : ['--conditions=source', '--import', 'tsx', 'cli/src/main.ts'];
  return spawnServer(
    process.execPath,
    [...(options.nodeFlags ?? []), ...entry, 'apiserver', '--storage', storage, '--port', '0'],
    /listening on (http:\/\/[\d.:]+)/,
    { cwd: repoRoot },
  );
}

/**
 * The HTTP floor: a bare node:http server that reads the body and answers 201 with a constant
 * of a created pod's size. Nothing an apiserver does can be cheaper than this on this machine.
 */
export function startHttpFloor(answer: string): Promise<ChildServer> {
  const script = `
    const http = require('node:http');
    const body = Buffer.from(${JSON.stringify(answer)});
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log('floor listening on http://127.0.0.1:' + server.address().port));
    process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
  `;
  return spawnServer(process.execPath, ['-e', script], /listening on (http:\/\/[\d.:]+)/);
}
