import { describe, expect, it } from 'vitest';
import { defaultRouteInterface, ipv4Of, nodeAddresses } from './addresses.js';

const routes = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth1	00000000	010200C0	0003	0	0	200	00000000	0	0	0
eth0	00000000	010200C0	0003	0	0	100	00000000	0	0	0
eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
`;

describe('node addresses', () => {
  it('picks the default route with the lowest metric', () => {
    expect(defaultRouteInterface(routes)).toBe('eth0');
    expect(defaultRouteInterface(routes.split('\n').slice(0, 1).join('\n'))).toBeUndefined();
  });

  it('takes the IPv4 address of that interface', () => {
    const v4 = { family: 'IPv4', internal: false, address: '192.0.2.7' } as const;
    const v6 = { family: 'IPv6', internal: false, address: 'fe80::1' } as const;
    const base = { netmask: '', mac: '', cidr: null };
    expect(
      ipv4Of('eth0', {
        eth0: [
          { ...base, ...v6, scopeid: 0 },
          { ...base, ...v4 },
        ],
      }),
    ).toBe('192.0.2.7');
    expect(ipv4Of('eth9', {})).toBeUndefined();
  });

  it('lists InternalIP then Hostname', () => {
    expect(nodeAddresses('10.0.0.2', 'node-1')).toEqual([
      { type: 'InternalIP', address: '10.0.0.2' },
      { type: 'Hostname', address: 'node-1' },
    ]);
  });
});
