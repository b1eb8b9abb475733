import { describe, expect, it } from 'vitest';
import { validHostPortMappings, type HostPortMapping } from './host-ports.js';

const tcp = (hostPort: number, containerPort: number, hostIp = ''): HostPortMapping => ({
  protocol: 'tcp',
  hostPort,
  containerPort,
  hostIp,
});

describe('validHostPortMappings', () => {
  it.each([
    ['any address', [tcp(8080, 80)], [tcp(8080, 80)]],
    ['0.0.0.0 as any address', [tcp(8080, 80, '0.0.0.0')], [tcp(8080, 80)]],
    ['one IPv4 address', [tcp(8080, 80, '192.0.2.7')], [tcp(8080, 80, '192.0.2.7')]],
    // Pods have IPv4 addresses only, so an IPv6 host IP has nothing to forward to (as portmap).
    ['an IPv6 host IP, dropped', [tcp(8080, 80, '::1'), tcp(9090, 90)], [tcp(9090, 90)]],
    [
      'udp and sctp',
      [
        { ...tcp(53, 53), protocol: 'udp' as const },
        { ...tcp(9, 9), protocol: 'sctp' as const },
      ],
      [
        { ...tcp(53, 53), protocol: 'udp' as const },
        { ...tcp(9, 9), protocol: 'sctp' as const },
      ],
    ],
  ])('keeps %s', (_what, mappings, expected) => {
    expect(validHostPortMappings(mappings)).toEqual(expected);
  });

  it.each([
    ['a host port beyond 65535', tcp(70000, 80), 'ports must be 1-65535'],
    ['container port 0', tcp(8080, 0), 'ports must be 1-65535'],
    ['a host IP that is no address', tcp(8080, 80, '10.0.0.1; drop'), 'is not an IP address'],
    ['an octet beyond 255', tcp(8080, 80, '10.0.0.256'), 'is not an IP address'],
    [
      'an unknown protocol',
      { ...tcp(8080, 80), protocol: 'icmp' as HostPortMapping['protocol'] },
      'unknown protocol icmp',
    ],
  ])('refuses %s', (_what, mapping, words) => {
    expect(() => validHostPortMappings([mapping])).toThrow(words);
  });
});
