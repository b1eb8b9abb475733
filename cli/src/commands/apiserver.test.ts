// `skiff apiserver` as a real process: it prints where it listens, serves, and exits 0 on
// SIGTERM; it exits non-zero with a clear message when its store is unreachable.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function skiff(args: string[]): {
  output: () => string;
  errors: () => string;
  exit: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
} {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exit;
  });
  return { output: () => out, errors: () => err, exit, kill: (s) => child.kill(s) };
}

describe('skiff apiserver', () => {
  it('serves on the embedded store, prints a kubectl hint and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-cli-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const proc = skiff(['apiserver', '--storage', `embedded:${dir}`, '--port', '0']);
    await expect.poll(proc.output, { timeout: 20_000 }).toContain('try: kubectl --server');
    const url = /listening on (http:\/\/[\d.:]+)/.exec(proc.output())?.[1] ?? '';
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.text()).toBe('ok');
    const ns = (await (await fetch(`${url}/api/v1/namespaces/kube-system`)).json()) as {
      metadata: { name: string };
    };
    expect(ns.metadata.name).toBe('kube-system');
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('exits non-zero with a clear message when etcd is unreachable', async () => {
    const proc = skiff(['apiserver', '--storage', 'etcd:http://127.0.0.1:1', '--port', '0']);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain('cannot use storage etcd:http://127.0.0.1:1');
  });

  it('explains a bad flag', async () => {
    const proc = skiff(['apiserver', '--storage', 'nosuch:x']);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain('expected embedded:<dir> or etcd:<url>');
  });
});
