// `skiff proxy` as a real process. It programs the packet filter of the network namespace it
// runs in, so the test runs it — and an apiserver for it — inside a namespace of its own
// (root only; skipped otherwise): the Service's rules appear, SIGTERM leaves them in place, and
// `skiff proxy --cleanup` removes them. Bad flags are refused without touching anything.
import { describe, expect, it } from 'vitest';
import {
  apiserverInNetns,
  canUseNetns,
  postInNetns,
  skiffInNetns as skiffIn,
  testNetns,
} from '../testing/netns-process.js';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

describe('skiff proxy', () => {
  it('refuses an unknown --proxy-mode with the usage', async () => {
    const proc = skiff(['proxy', '--proxy-mode=ipvs']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--proxy-mode "ipvs": want nftables or iptables');
  });

  it.skipIf(!canUseNetns([['nft', '--version']]))(
    'programs a Service in its namespace, keeps the rules on SIGTERM, and --cleanup removes them',
    async () => {
      const dir = await tempDir();
      const ns = testNetns('skp-cli');
      const { server, kubeconfig } = await apiserverInNetns(ns, dir);
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { clusterIP: '10.96.0.20', ports: [{ port: 80 }], selector: { app: 'web' } },
      };
      // The apiserver listens inside the namespace: post from there too.
      postInNetns(ns, `${server}/api/v1/namespaces/default/services`, service);

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
