import { makeNode } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import {
  nodeNetInfo,
  PUBLIC_IP_ANNOTATION,
  VXLAN_MAC_ANNOTATION,
  type NodeNetInfo,
} from './node-info.js';
import { planRoutes, vtepAddress, type SelfNetInfo } from './plan-routes.js';

const self: SelfNetInfo = {
  name: 'a',
  podCIDR: '10.244.1.0/24',
  uplink: { name: 'eth0', cidr: '192.168.50.10/24' },
};

const node = (name: string, fields: Partial<NodeNetInfo> = {}): NodeNetInfo => ({
  name,
  podCIDR: undefined,
  internalIP: undefined,
  publicIP: fields.internalIP,
  vxlanMAC: undefined,
  ...fields,
});

describe('planRoutes in host-gw mode', () => {
  it.each([
    {
      behaviour: 'routes a node on the same segment via its InternalIP',
      nodes: [node('b', { podCIDR: '10.244.2.0/24', internalIP: '192.168.50.11' })],
      routes: [
        { dst: '10.244.2.0/24', via: '192.168.50.11', dev: 'eth0', onlink: false, node: 'b' },
      ],
      problems: [],
    },
    {
      behaviour: 'says a node outside the segment is not directly reachable, and routes nothing',
      nodes: [node('c', { podCIDR: '10.244.3.0/24', internalIP: '192.168.60.5' })],
      routes: [],
      problems: [
        { node: 'c', reason: expect.stringMatching(/not directly reachable.*--routing=vxlan/) },
      ],
    },
    {
      behaviour: 'skips itself',
      nodes: [node('a', { podCIDR: '10.244.1.0/24', internalIP: '192.168.50.10' })],
      routes: [],
      problems: [],
    },
    {
      behaviour: 'waits for a podCIDR and an InternalIP',
      nodes: [node('b', { internalIP: '192.168.50.11' }), node('c', { podCIDR: '10.244.3.0/24' })],
      routes: [],
      problems: [
        { node: 'b', reason: 'has no spec.podCIDR yet' },
        { node: 'c', reason: 'has no InternalIP address yet' },
      ],
    },
    {
      behaviour: 'refuses a podCIDR overlapping its own or an earlier node’s',
      nodes: [
        node('b', { podCIDR: '10.244.1.128/25', internalIP: '192.168.50.11' }),
        node('c', { podCIDR: '10.244.4.0/24', internalIP: '192.168.50.12' }),
        node('d', { podCIDR: '10.244.4.0/23', internalIP: '192.168.50.13' }),
      ],
      routes: [
        { dst: '10.244.4.0/24', via: '192.168.50.12', dev: 'eth0', onlink: false, node: 'c' },
      ],
      problems: [
        { node: 'b', reason: "spec.podCIDR 10.244.1.128/25 overlaps node a's" },
        { node: 'd', reason: "spec.podCIDR 10.244.4.0/23 overlaps node c's" },
      ],
    },
    {
      behaviour: 'refuses a podCIDR that is not IPv4',
      nodes: [node('b', { podCIDR: 'fd00::/64', internalIP: '192.168.50.11' })],
      routes: [],
      problems: [{ node: 'b', reason: 'spec.podCIDR "fd00::/64" is not an IPv4 CIDR' }],
    },
  ])('$behaviour', ({ nodes, routes, problems }) => {
    const plan = planRoutes(self, nodes, 'host-gw');
    expect(plan.routes).toEqual(routes);
    expect(plan.problems).toEqual(problems);
    expect(plan.fdb).toEqual([]);
    expect(plan.neighbours).toEqual([]);
  });

  it('orders what it plans by node name, whatever order the informer lists them in', () => {
    const nodes = [
      node('c', { podCIDR: '10.244.3.0/24', internalIP: '192.168.50.12' }),
      node('b', { podCIDR: '10.244.2.0/24', internalIP: '192.168.50.11' }),
    ];
    expect(planRoutes(self, nodes, 'host-gw').routes.map((r) => r.node)).toEqual(['b', 'c']);
  });
});

describe('planRoutes in vxlan mode', () => {
  it.each([
    {
      behaviour: 'routes a remote podCIDR through its VTEP, whatever segment the node is on',
      nodes: [
        node('c', {
          podCIDR: '10.244.3.0/24',
          internalIP: '10.0.9.5',
          publicIP: '203.0.113.5',
          vxlanMAC: '0E:AA:00:00:00:03',
        }),
      ],
      routes: [
        { dst: '10.244.3.0/24', via: '10.244.3.0', dev: 'skiff.vxlan', onlink: true, node: 'c' },
      ],
      neighbours: [{ ip: '10.244.3.0', mac: '0e:aa:00:00:00:03', node: 'c' }],
      fdb: [{ mac: '0e:aa:00:00:00:03', dst: '203.0.113.5', node: 'c' }],
      problems: [],
    },
    {
      behaviour: 'waits for a node to publish its VXLAN MAC',
      nodes: [node('b', { podCIDR: '10.244.2.0/24', internalIP: '192.168.50.11' })],
      routes: [],
      neighbours: [],
      fdb: [],
      problems: [
        { node: 'b', reason: 'has not published its VXLAN MAC (skiff.dev/vxlan-mac) yet' },
      ],
    },
    {
      behaviour: 'refuses a malformed MAC annotation',
      nodes: [node('b', { podCIDR: '10.244.2.0/24', internalIP: '192.168.50.11', vxlanMAC: 'zz' })],
      routes: [],
      neighbours: [],
      fdb: [],
      problems: [{ node: 'b', reason: 'annotation skiff.dev/vxlan-mac "zz" is not a MAC address' }],
    },
  ])('$behaviour', ({ nodes, routes, neighbours, fdb, problems }) => {
    const plan = planRoutes(self, nodes, 'vxlan');
    expect(plan.routes).toEqual(routes);
    expect(plan.neighbours).toEqual(neighbours);
    expect(plan.fdb).toEqual(fdb);
    expect(plan.problems).toEqual(problems);
  });
});

describe('nodeNetInfo', () => {
  it('reads the podCIDR, the first IPv4 InternalIP and the VXLAN annotations', () => {
    const info = nodeNetInfo(
      makeNode()
        .name('b')
        .spec({ podCIDR: '10.244.2.0/24' })
        .addresses(
          { type: 'Hostname', address: 'b' },
          { type: 'InternalIP', address: 'fd00::2' },
          { type: 'InternalIP', address: '192.168.50.11' },
        )
        .annotations({
          [VXLAN_MAC_ANNOTATION]: '0e:00:00:00:00:02',
          [PUBLIC_IP_ANNOTATION]: '203.0.113.2',
        })
        .obj(),
    );
    expect(info).toEqual({
      name: 'b',
      podCIDR: '10.244.2.0/24',
      internalIP: '192.168.50.11',
      publicIP: '203.0.113.2',
      vxlanMAC: '0e:00:00:00:00:02',
    });
  });

  it('sends VXLAN to the InternalIP when no public IP is published', () => {
    const info = nodeNetInfo(
      makeNode().name('b').addresses({ type: 'InternalIP', address: '192.168.50.11' }).obj(),
    );
    expect(info.publicIP).toBe('192.168.50.11');
    expect(info.podCIDR).toBeUndefined();
  });
});

describe('vtepAddress', () => {
  it('is the network address of the podCIDR', () => {
    expect(vtepAddress('10.244.7.0/24')).toBe('10.244.7.0');
    expect(vtepAddress('10.244.7.9/24')).toBe('10.244.7.0');
    expect(vtepAddress('nonsense')).toBeUndefined();
  });
});
