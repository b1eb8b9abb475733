// `skiff apiserver` as a real process: it prints where it listens, serves, and exits 0 on
// SIGTERM; it exits non-zero with a clear message when its store is unreachable.
import { describe, expect, it } from 'vitest';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

// Real processes, started from source: the time a loaded 2-core machine needs.
describe('skiff apiserver', { timeout: 120_000 }, () => {
  it('serves on the embedded store, prints a kubectl hint and stops cleanly on SIGTERM', async () => {
    const dir = await tempDir();
    const proc = skiff(['apiserver', '--storage', `embedded:${dir}`, '--port', '0']);
    await expect.poll(() => proc.output(), { timeout: 60_000 }).toContain('try: kubectl --server');
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
