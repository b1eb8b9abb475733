import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '@skiff/api';
import { parsePodCidr, podAddressRange } from './pod-cidr.js';

describe('parsePodCidr', () => {
  it.each([
    { cidr: '10.88.0.0/16', gateway: '10.88.0.1', first: '10.88.0.2', last: '10.88.255.254' },
    { cidr: '10.244.3.0/24', gateway: '10.244.3.1', first: '10.244.3.2', last: '10.244.3.254' },
    { cidr: '192.168.7.8/29', gateway: '192.168.7.9', first: '192.168.7.10', last: '192.168.7.14' },
    { cidr: '10.0.0.0/30', gateway: '10.0.0.1', first: '10.0.0.2', last: '10.0.0.2' },
  ])('reserves network, gateway and broadcast of $cidr', ({ cidr, gateway, first, last }) => {
    const parsed = parsePodCidr(cidr);
    const range = podAddressRange(parsed);
    expect(formatIpv4(parsed.gateway)).toBe(gateway);
    expect(formatIpv4(range.first)).toBe(first);
    expect(formatIpv4(range.last)).toBe(last);
  });

  it.each([
    { cidr: '10.88.0.0', error: 'want a.b.c.d/n' },
    { cidr: '10.88.0.0/33', error: 'leaves no address for a pod' },
    { cidr: '10.88.0.0/31', error: 'leaves no address for a pod' },
    { cidr: '10.88.0.5/16', error: 'host bits are set (did you mean 10.88.0.0/16?)' },
    { cidr: '10.300.0.0/16', error: 'invalid IPv4 address "10.300.0.0"' },
  ])('refuses $cidr', ({ cidr, error }) => {
    expect(() => parsePodCidr(cidr)).toThrow(error);
  });
});
