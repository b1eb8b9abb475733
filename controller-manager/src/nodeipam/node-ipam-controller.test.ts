import type { Node } from '@skiff/api';
import { makeNode } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, unitFixture } from '../testing/fixture.js';
import { parseCidrSet } from './cidr-set.js';
import { NodeIpamController } from './node-ipam-controller.js';

describe('cluster CIDR subnets', () => {
  it('splits 10.244.0.0/16 into 256 /24s and finds them again', () => {
    const set = parseCidrSet('10.244.0.0/16', 24);
    expect(set.size).toBe(256);
    expect(set.subnet(0)).toBe('10.244.0.0/24');
    expect(set.subnet(255)).toBe('10.244.255.0/24');
    expect(set.indexOf('10.244.7.0/24')).toBe(7);
    expect(set.indexOf('10.245.0.0/24')).toBeUndefined();
    expect(set.indexOf('10.244.7.0/25')).toBeUndefined();
    expect(set.indexOf('fd00::/64')).toBeUndefined();
  });

  it.each([
    ['10.244.0.1/16', 24, 'host bits set'],
    ['10.244.0.0/16', 8, 'must be between'],
    ['nonsense', 24, 'invalid IPv4 CIDR'],
  ])('refuses %s with mask %d', (cidr, mask, message) => {
    expect(() => parseCidrSet(cidr, mask)).toThrow(message);
  });
});

function setup(nodes: Node[], clusterCidr = '10.244.0.0/16', mask = 24) {
  const f = unitFixture(nodes);
  const controller = new NodeIpamController({
    ...f.context,
    client: f.client,
    nodes: listerOf(nodes),
    queue: f.queue,
    cidrs: parseCidrSet(clusterCidr, mask),
  });
  const sync = (name: string) => controller.reconcile({ name }, f.signal);
  return { ...f, sync };
}

describe('node IPAM', () => {
  it('gives a node the first subnet no other node holds', async () => {
    const t = setup([
      makeNode()
        .name('a')
        .spec({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] })
        .obj(),
      makeNode().name('b').obj(),
    ]);
    await t.sync('b');
    expect(t.client.actions().map((a) => [a.verb, a.name, a.patch])).toEqual([
      ['patch', 'b', { spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } }],
    ]);
  });

  it('never hands one subnet to two nodes while the cache lags', async () => {
    const t = setup([makeNode().name('a').obj(), makeNode().name('b').obj()]);
    await t.sync('a');
    await t.sync('b');
    const cidrs = t.client
      .actions()
      .map((a) => (a.patch as { spec: { podCIDR: string } }).spec.podCIDR);
    expect(cidrs).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  });

  it('leaves a node that has a podCIDR alone', async () => {
    const t = setup([makeNode().name('a').spec({ podCIDR: '192.168.0.0/24' }).obj()]);
    await t.sync('a');
    expect(t.client.actions()).toEqual([]);
  });

  it('reports CIDRNotAvailable when the cluster CIDR is used up', async () => {
    const t = setup(
      [
        makeNode().name('a').spec({ podCIDR: '10.0.0.0/25' }).obj(),
        makeNode().name('b').spec({ podCIDR: '10.0.0.128/25' }).obj(),
        makeNode().name('c').obj(),
      ],
      '10.0.0.0/24',
      25,
    );
    await expect(t.sync('c')).rejects.toThrow('no free node CIDR');
    expect(t.events).toEqual([
      {
        object: 'Node/c',
        type: 'Normal',
        reason: 'CIDRNotAvailable',
        message: 'Node c status is now: CIDRNotAvailable',
      },
    ]);
  });
});
