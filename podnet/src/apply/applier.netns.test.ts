// The applier against the real kernel, with fixed node lists (no apiserver): two "nodes" as
// network namespaces on one bridge (testing/two-node-lab.ts), each programmed by its own
// PodNetworkApplier. A pod on node A reaches a pod on node B by IP, and B sees A's pod address.
// Needs root; skipped otherwise.
import { commandRunner } from '@skiff/proxy';
import { listLinkSizes } from '@skiff/runtime/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeNetInfo } from '../plan/node-info.js';
import { planRoutes, VXLAN_DEVICE, type RoutingMode } from '../plan/plan-routes.js';
import {
  canBuildLab,
  createTwoNodeLab,
  SEGMENT_PREFIX,
  type LabNode,
  type TwoNodeLab,
} from '../testing/two-node-lab.js';
import { DEFAULT_ROUTE_PROTOCOL, PodNetworkApplier } from './applier.js';
import { findUplink } from './uplink.js';
import { vxlanMacFor } from './vxlan-device.js';

const info = (node: LabNode): NodeNetInfo => ({
  name: node.name,
  podCIDR: node.podCIDR,
  internalIP: node.ip,
  publicIP: node.ip,
  vxlanMAC: vxlanMacFor(node.name),
});

describe.skipIf(!canBuildLab()).each(['host-gw', 'vxlan'] as RoutingMode[])(
  'the %s applier in two network namespaces',
  (mode) => {
    let lab: TwoNodeLab;

    const program = async (node: LabNode, others: readonly LabNode[]): Promise<number> => {
      const run = commandRunner(['ip', 'netns', 'exec', node.ns]);
      const uplink = await findUplink(run, node.ip);
      if (uplink === undefined) throw new Error(`no uplink in ${node.ns}`);
      const plan = planRoutes(
        {
          name: node.name,
          podCIDR: node.podCIDR,
          uplink: { name: uplink.name, cidr: uplink.cidr },
        },
        [info(node), ...others.map(info)],
        mode,
      );
      const result = await new PodNetworkApplier(run).apply(plan, {
        podCIDR: node.podCIDR,
        uplink,
        vxlanMAC: vxlanMacFor(node.name),
      });
      return result.changes;
    };
    const ourRoutes = (node: LabNode): string =>
      lab.exec(node.ns, ['ip', 'route', 'show', 'proto', String(DEFAULT_ROUTE_PROTOCOL)]);

    beforeEach(() => {
      lab = createTwoNodeLab({ podMTU: mode === 'vxlan' ? 1450 : 1500 });
      for (const node of [lab.a, lab.b])
        lab.exec(node.ns, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    });
    afterEach(() => lab.destroy());

    it('lets a pod on one node reach a pod on the other by its IP, without NAT', async () => {
      await lab.serve(lab.b.pod.ns, lab.b.pod.ip, 8080, 'B');
      expect(await lab.connect(lab.a.pod.ns, lab.b.pod.ip, 8080, 500)).not.toMatch(/^B /);
      await program(lab.a, [lab.b]);
      await program(lab.b, [lab.a]);
      expect(await lab.connect(lab.a.pod.ns, lab.b.pod.ip, 8080)).toBe(`B ${lab.a.pod.ip}`);
      if (mode === 'vxlan') {
        const device = lab.exec(lab.a.ns, ['ip', '-d', 'link', 'show', VXLAN_DEVICE]);
        expect(device).toContain('vxlan id 1');
        expect(device).toContain('dstport 8472');
        expect(device).toContain('nolearning');
      }
    });

    it('changes nothing when applied again, and removes the routes of a node that is gone', async () => {
      await program(lab.a, [lab.b]);
      expect(await program(lab.a, [lab.b])).toBe(0);
      expect(ourRoutes(lab.a)).toContain(lab.b.podCIDR);
      // Someone else's route in the same table is none of our business.
      lab.exec(lab.a.ns, ['ip', 'route', 'add', '10.99.0.0/24', 'via', `192.168.78.1`]);
      expect(await program(lab.a, [])).toBeGreaterThan(0);
      expect(ourRoutes(lab.a)).toBe('');
      expect(lab.exec(lab.a.ns, ['ip', 'route'])).toContain('10.99.0.0/24');
      if (mode === 'vxlan') {
        expect(lab.exec(lab.a.ns, ['bridge', 'fdb', 'show', 'dev', VXLAN_DEVICE])).not.toContain(
          lab.b.ip,
        );
        expect(lab.exec(lab.a.ns, ['ip', 'neigh', 'show', 'dev', VXLAN_DEVICE])).toBe('');
      }
    });

    it(`leaves no trace of the other mode when switched`, async () => {
      await program(lab.a, [lab.b]);
      const other: RoutingMode = mode === 'vxlan' ? 'host-gw' : 'vxlan';
      const run = commandRunner(['ip', 'netns', 'exec', lab.a.ns]);
      const uplink = await findUplink(run, lab.a.ip);
      if (uplink === undefined) throw new Error('no uplink');
      const self = {
        name: lab.a.name,
        podCIDR: lab.a.podCIDR,
        uplink: { name: uplink.name, cidr: uplink.cidr },
      };
      await new PodNetworkApplier(run).apply(planRoutes(self, [info(lab.b)], other), {
        podCIDR: lab.a.podCIDR,
        uplink,
        vxlanMAC: vxlanMacFor(lab.a.name),
      });
      const routes = ourRoutes(lab.a);
      expect(routes.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(routes).toContain(other === 'vxlan' ? VXLAN_DEVICE : `via ${lab.b.ip}`);
      expect(lab.succeeds(lab.a.ns, ['ip', 'link', 'show', VXLAN_DEVICE])).toBe(other === 'vxlan');
      expect(uplink.cidr).toBe(`${lab.a.ip}/${SEGMENT_PREFIX}`);
    });

    it(`gives pods the BIG TCP size of the nodes' NICs ${mode === 'vxlan' ? 'only where no tunnel device is smaller' : 'when nothing on the node is smaller'}`, async () => {
      lab.destroy();
      lab = createTwoNodeLab({
        podMTU: mode === 'vxlan' ? 1450 : 1500,
        nicGsoIpv4MaxSize: 185000,
        deferPods: true,
      });
      for (const node of [lab.a, lab.b])
        lab.exec(node.ns, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
      await program(lab.a, [lab.b]);
      await program(lab.b, [lab.a]);
      await lab.attachPods();
      // The VXLAN device stays at the kernel's 64 KiB, so pods behind it keep that size too: a
      // larger packet would be cut into MSS-sized ones in software on its way through the tunnel.
      const expected = mode === 'vxlan' ? 65536 : 185000;
      for (const node of [lab.a, lab.b]) {
        const gso = async (ns: string, name: string): Promise<number | undefined> =>
          (await listLinkSizes(`/run/netns/${ns}`)).find((l) => l.name === name)?.gsoIpv4MaxSize;
        expect(await gso(node.ns, 'eth0')).toBe(185000);
        expect(await gso(node.ns, 'vpod')).toBe(expected);
        expect(await gso(node.pod.ns, 'eth0')).toBe(expected);
      }
      await lab.serve(lab.b.pod.ns, lab.b.pod.ip, 8080, 'B');
      expect(await lab.connect(lab.a.pod.ns, lab.b.pod.ip, 8080)).toBe(`B ${lab.a.pod.ip}`);
    });
  },
);
