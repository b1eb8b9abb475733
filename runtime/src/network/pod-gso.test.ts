import { describe, expect, it } from 'vitest';
import type { LinkSizes } from '../linux/rtnetlink.js';
import { podGsoIpv4MaxSize } from './pod-gso.js';
import { vethAlias } from './names.js';

const link = (
  name: string,
  size: number | undefined,
  more: Partial<LinkSizes> = {},
): LinkSizes => ({
  index: 1,
  name,
  up: true,
  loopback: false,
  alias: undefined,
  kind: undefined,
  gsoIpv4MaxSize: size,
  groIpv4MaxSize: size,
  ...more,
});

describe('the GSO size a pod veth pair gets', () => {
  it("is the node's links' size when they all do BIG TCP", () => {
    expect(podGsoIpv4MaxSize([link('eth0', 185000), link('eth1', 196608)], 'skiff0')).toBe(185000);
  });

  it('is left at the default when any link the pod could leave by is at 64 KiB', () => {
    const vxlan = link('skiff.vxlan', 65536, { kind: 'vxlan' });
    expect(podGsoIpv4MaxSize([link('eth0', 185000), vxlan], 'skiff0')).toBeUndefined();
    expect(podGsoIpv4MaxSize([link('eth0', 65536)], 'skiff0')).toBeUndefined();
  });

  it('ignores loopback, links that are down, bridges and skiff pod veths', () => {
    const links = [
      link('eth0', 185000),
      link('lo', 65536, { loopback: true }),
      link('eth9', 65536, { up: false }),
      link('skiff0', 65536, { kind: 'bridge' }),
      link('cni0', 65536, { kind: 'bridge' }),
      link('veth1234', 65536, { kind: 'veth', alias: vethAlias('abc') }),
    ];
    expect(podGsoIpv4MaxSize(links, 'skiff0')).toBe(185000);
  });

  it("counts other veths (another runtime's pods on a CNI bridge): traffic to them crosses them", () => {
    const links = [link('eth0', 185000), link('veth9', 65536, { kind: 'veth' })];
    expect(podGsoIpv4MaxSize(links, 'skiff0')).toBeUndefined();
  });

  it('is left at the default on a kernel without IPv4 BIG TCP, or with no link to go by', () => {
    expect(podGsoIpv4MaxSize([link('eth0', undefined)], 'skiff0')).toBeUndefined();
    expect(podGsoIpv4MaxSize([], 'skiff0')).toBeUndefined();
  });
});
