import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bridgeReadyIn, ensureBridge, type HostInterfacesView } from './bridge.js';
import { Iproute } from './iproute.js';
import { parsePodCidr } from './pod-cidr.js';

const cidr = parsePodCidr('10.77.0.0/16');

function ipv4(address: string, prefixLength: number): NetworkInterfaceInfo {
  return {
    address,
    netmask: '',
    family: 'IPv4',
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: `${address}/${prefixLength}`,
  };
}

function view(
  interfaces: Record<string, NetworkInterfaceInfo[]>,
  bridges: readonly string[] = Object.keys(interfaces),
): HostInterfacesView {
  return { interfaces, isBridge: (name) => bridges.includes(name) };
}

describe('bridgeReadyIn', () => {
  it.each<[string, HostInterfacesView, boolean]>([
    ['up and running with the gateway address', view({ skb0: [ipv4('10.77.0.1', 16)] }), true],
    [
      'holding the gateway among other addresses',
      view({ skb0: [ipv4('192.168.5.1', 24), ipv4('10.77.0.1', 16)] }),
      true,
    ],
    ['not listed (missing, down, or without running ports)', view({}), false],
    ['without the gateway address', view({ skb0: [ipv4('10.77.0.2', 16)] }), false],
    ['with the gateway under another prefix', view({ skb0: [ipv4('10.77.0.1', 24)] }), false],
    ['a device that is not a bridge', view({ skb0: [ipv4('10.77.0.1', 16)] }, []), false],
  ])('is %s: %s', (_what, seen, expected) => {
    expect(bridgeReadyIn(seen, 'skb0', cidr)).toBe(expected);
  });
});

describe('ensureBridge', () => {
  it('starts no `ip` process when the bridge is already up with its address', async () => {
    // An `ip` that cannot run: any process it were asked for would fail the call.
    const ip = new Iproute('/nonexistent/ip');
    await expect(
      ensureBridge(ip, 'skb0', cidr, () => view({ skb0: [ipv4('10.77.0.1', 16)] })),
    ).resolves.toBeUndefined();
  });

  it('asks `ip` when the look without a process is not sure', async () => {
    const ip = new Iproute('/nonexistent/ip');
    await expect(ensureBridge(ip, 'skb0', cidr, () => view({}))).rejects.toThrow(/nonexistent\/ip/);
  });
});
