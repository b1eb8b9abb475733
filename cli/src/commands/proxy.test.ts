// `skiff proxy` as a real process. It programs the packet filter of the network namespace it
// runs in, so the test runs it — and an apiserver for it — inside a namespace of its own
// (root only; skipped otherwise): the Service's rules appear, SIGTERM leaves them in place, and
// `skiff proxy --cleanup` removes them. Bad flags are refused without touching anything.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

function canUseNetns(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    process.stderr.write(`skiff proxy process test skipped: ${String(err)}\n`);
    return false;
  }
}

/** A network namespace with loopback up, removed when the test finishes. */
function netns(): { name: string; exec(argv: string[]): string } {
  const name = `skp-cli-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  onTestFinished(() => {
    execFileSync('ip', ['netns', 'del', name]);
  });
  const exec = (argv: string[]): string =>
    execFileSync('ip', ['netns', 'exec', name, ...argv], { maxBuffer: 1 << 26 }).toString();
  exec(['ip', 'link', 'set', 'lo', 'up']);
  return { name, exec };
}

/** `skiff <args>` inside namespace `ns`; killed when the test finishes. */
function skiffIn(ns: string, args: string[]) {
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
  return { output: () => out, exit, kill: (s: NodeJS.Signals) => child.kill(s) };
}

describe('skiff proxy', () => {
  it('refuses an unknown --proxy-mode with the usage', async () => {
    const proc = skiff(['proxy', '--proxy-mode=ipvs']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--proxy-mode "ipvs": want nftables or iptables');
  });

  it.skipIf(!canUseNetns())(
    'programs a Service in its namespace, keeps the rules on SIGTERM, and --cleanup removes them',
    async () => {
      const dir = await tempDir();
      const ns = netns();
      const api = skiffIn(ns.name, [
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
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { clusterIP: '10.96.0.20', ports: [{ port: 80 }], selector: { app: 'web' } },
      };
      // The apiserver listens inside the namespace: post from there too.
      ns.exec([
        process.execPath,
        '-e',
        `fetch(process.argv[1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.argv[2] }).then((r) => process.exit(r.ok ? 0 : 1))`,
        `${server}/api/v1/namespaces/default/services`,
        JSON.stringify(service),
      ]);

      const proxy = skiffIn(ns.name, [
        'proxy',
        '--kubeconfig',
        kubeconfig,
        '--hostname-override',
        'node-a',
        '--healthz-bind-address',
        '127.0.0.1:0',
        '--metrics-bind-address',
        '127.0.0.1:0',
      ]);
      await expect.poll(() => proxy.output(), { timeout: 20_000 }).toContain('nftables mode');
      expect(proxy.output()).toContain('using the nftables proxier');
      // No endpoints yet: the ClusterIP is answered with a reject.
      expect(ns.exec(['nft', 'list', 'table', 'ip', 'kube-proxy'])).toContain(
        '10.96.0.20 . tcp . 80 : goto reject-chain',
      );
      proxy.kill('SIGTERM');
      expect(await proxy.exit).toBe(0);
      expect(ns.exec(['nft', 'list', 'tables'])).toContain('table ip kube-proxy');

      const cleanup = skiffIn(ns.name, ['proxy', '--cleanup']);
      expect(await cleanup.exit).toBe(0);
      expect(ns.exec(['nft', 'list', 'tables'])).not.toContain('kube-proxy');
    },
  );
});
