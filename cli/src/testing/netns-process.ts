// Component processes inside a network namespace of the test's own: what the tests of `skiff
// podnet`, `skiff proxy` (and any command that programs the kernel) use so the host's routes and
// rules are never touched. Root only; each namespace and process is removed when its test finishes.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface TestNetns {
  readonly name: string;
  exec(argv: readonly string[]): string;
}

export interface NetnsProcess {
  output(): string;
  readonly exit: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Root with iproute2: what a network namespace needs. */
export function canUseNetns(tools: readonly string[][] = []): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    for (const argv of [['ip', 'netns', 'list'], ...tools])
      execFileSync(argv[0] ?? '', argv.slice(1), { stdio: 'ignore' });
    return true;
  } catch (err) {
    process.stderr.write(`network namespace tests skipped: ${String(err)}\n`);
    return false;
  }
}

/** A network namespace with loopback up, removed when the test finishes. */
export function testNetns(prefix: string): TestNetns {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  onTestFinished(() => {
    execFileSync('ip', ['netns', 'del', name]);
  });
  const exec = (argv: readonly string[]): string =>
    execFileSync('ip', ['netns', 'exec', name, ...argv], { maxBuffer: 1 << 26 }).toString();
  exec(['ip', 'link', 'set', 'lo', 'up']);
  return { name, exec };
}

/** `skiff <args>` inside namespace `ns`; killed when the test finishes. */
export function skiffInNetns(ns: string, args: readonly string[]): NetnsProcess {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      process.execPath,
      '--conditions=source',
      '--import',
      'tsx',
      main,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exit;
  });
  return { output: () => out, exit, kill: (s) => child.kill(s) };
}

/** `skiff apiserver` in the namespace, and a kubeconfig for it; resolves with both. */
export async function apiserverInNetns(
  ns: TestNetns,
  dir: string,
): Promise<{ server: string; kubeconfig: string }> {
  const api = skiffInNetns(ns.name, [
    'apiserver',
    '--storage',
    `embedded:${dir}/state`,
    '--port',
    '0',
  ]);
  await expect.poll(() => api.output(), { timeout: 20_000 }).toContain('listening on');
  const server = /listening on (http:\/\/[\d.:]+)/.exec(api.output())?.[1] ?? '';
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return { server, kubeconfig };
}

/** POSTs `body` to `server + path` from inside the namespace (the apiserver listens there). */
export function postInNetns(ns: TestNetns, url: string, body: unknown): void {
  ns.exec([
    process.execPath,
    '-e',
    `fetch(process.argv[1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.argv[2] }).then((r) => process.exit(r.ok ? 0 : 1))`,
    url,
    JSON.stringify(body),
  ]);
}
