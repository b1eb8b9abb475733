// `skiff podnet` as a real process, inside a network namespace of the test's own with an uplink
// on 192.168.78.0/24 and an apiserver of its own (root only; skipped otherwise): routes to the
// other nodes' podCIDRs appear, a node off the segment is reported, /healthz and /metrics answer,
// SIGTERM leaves the routes, and `skiff podnet --cleanup` removes them. Bad flags are refused without touching anything.
import { describe, expect, it } from 'vitest';
import {
  apiserverInNetns,
  canUseNetns,
  postInNetns,
  skiffInNetns,
  testNetns,
} from '../testing/netns-process.js';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

const node = (name: string, ip: string, podCIDR: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: { podCIDR, podCIDRs: [podCIDR] },
  status: { addresses: [{ type: 'InternalIP', address: ip }] },
});

describe('skiff podnet', () => {
  it('refuses an unknown --routing with the usage', async () => {
    const proc = skiff(['podnet', '--routing=udp', '--cluster-cidr=10.244.0.0/16']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--routing "udp": want host-gw or vxlan');
  });

  it('requires --cluster-cidr', async () => {
    const proc = skiff(['podnet']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--cluster-cidr is required');
  });

  it.skipIf(!canUseNetns([['nft', '--version']]))(
    'routes to the nodes on its segment, reports the others, keeps the routes on SIGTERM, and --cleanup removes them',
    async () => {
      const dir = await tempDir();
      const ns = testNetns('skpn-cli');
      ns.exec(['ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0-peer']);
      ns.exec(['ip', 'link', 'set', 'eth0', 'up']);
      ns.exec(['ip', 'link', 'set', 'eth0-peer', 'up']);
      ns.exec(['ip', 'addr', 'add', '192.168.78.11/24', 'dev', 'eth0']);
      const { server, kubeconfig } = await apiserverInNetns(ns, dir);
      for (const n of [
        node('node-a', '192.168.78.11', '10.244.1.0/24'),
        node('node-b', '192.168.78.12', '10.244.2.0/24'),
        node('node-c', '10.9.9.9', '10.244.3.0/24'),
      ])
        postInNetns(ns, `${server}/api/v1/nodes`, n);

      const podnet = skiffInNetns(ns.name, [
        'podnet',
        '--kubeconfig',
        kubeconfig,
        '--hostname-override',
        'node-a',
        '--routing',
        'host-gw',
        '--cluster-cidr',
        '10.244.0.0/16',
        '--service-cluster-ip-range',
        '10.96.0.0/12',
      ]);
      // One sync logs the routes, then the nodes it cannot route to: two writes, which may reach
      // the pipe apart. Waiting for the last one means the first is in.
      await expect
        .poll(() => podnet.output(), { timeout: 20_000 })
        .toContain('10.9.9.9 is not directly reachable');
      // The banner (routes, /healthz) comes once startup is over, maybe after the sync's lines.
      await expect.poll(() => podnet.output(), { timeout: 20_000 }).toContain('/healthz');
      expect(podnet.output()).toContain('node node-c');
      expect(podnet.output()).toContain('routes to 1 node(s)');
      expect(ns.exec(['ip', 'route', 'show', 'proto', '83'])).toContain(
        '10.244.2.0/24 via 192.168.78.12 dev eth0',
      );
      expect(ns.exec(['nft', 'list', 'table', 'ip', 'skiff-podnet'])).toContain('masquerade');
      // /healthz and /metrics, read from inside the namespace where they listen.
      const url = /serving (http:\/\/[\d.:]+)\/healthz/.exec(podnet.output())?.[1] ?? '';
      expect(url).toBe('http://127.0.0.1:10264');
      const get = (path: string): string =>
        ns.exec([
          process.execPath,
          '-e',
          `fetch(process.argv[1]).then(async (r) => process.stdout.write(r.status + ' ' + (await r.text())))`,
          `${url}${path}`,
        ]);
      expect(get('/healthz')).toBe('200 ok');
      const metrics = get('/metrics');
      expect(metrics).toContain('podnet_routed_nodes{state="routed"} 1');
      expect(metrics).toContain('podnet_routed_nodes{state="unroutable"} 1');
      expect(metrics).toMatch(/podnet_sync_routes_last_timestamp_seconds \d/);
      expect(metrics).toContain('podnet_fast_path_enabled 1');
      expect(metrics).toMatch(/podnet_fast_path_packets_total\{direction="to-pods"\} \d+/);
      podnet.kill('SIGTERM');
      expect(await podnet.exit).toBe(0);
      expect(ns.exec(['ip', 'route', 'show', 'proto', '83'])).toContain('10.244.2.0/24');

      const cleanup = skiffInNetns(ns.name, ['podnet', '--cleanup']);
      expect(await cleanup.exit).toBe(0);
      expect(ns.exec(['ip', 'route', 'show', 'proto', '83'])).toBe('');
      expect(ns.exec(['nft', 'list', 'tables'])).not.toContain('skiff-podnet');
      expect(ns.exec(['tc', 'filter', 'show', 'dev', 'eth0', 'ingress'])).toBe('');
    },
  );
});
