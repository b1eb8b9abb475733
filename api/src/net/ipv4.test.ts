import { describe, expect, it } from 'vitest';
import {
  formatIpv4,
  formatIpv4Cidr,
  ipv4CidrContains,
  ipv4CidrsOverlap,
  parseIpv4,
  parseIpv4Cidr,
  requireIpv4,
} from './ipv4.js';

function cidr(text: string) {
  const parsed = parseIpv4Cidr(text);
  if (parsed === undefined) throw new Error(`test fixture ${text} does not parse`);
  return parsed;
}

describe('IPv4 addresses', () => {
  it.each(['0.0.0.0', '10.96.0.1', '192.168.1.255', '255.255.255.255'])('round-trips %s', (ip) => {
    expect(formatIpv4(parseIpv4(ip) ?? -1)).toBe(ip);
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', '1.2.3.4 ', 'fd00::1', ''])(
    'refuses %j',
    (text) => {
      expect(parseIpv4(text)).toBeUndefined();
      expect(() => requireIpv4(text)).toThrow(`invalid IPv4 address "${text}"`);
    },
  );
});

describe('IPv4 CIDRs', () => {
  it('parses a block into its network, size and broadcast', () => {
    expect(parseIpv4Cidr('10.96.0.0/12')).toEqual({
      address: parseIpv4('10.96.0.0'),
      network: parseIpv4('10.96.0.0'),
      prefixLength: 12,
      size: 2 ** 20,
      broadcast: parseIpv4('10.111.255.255'),
    });
  });

  it('keeps the address as written and clears the host bits for the network', () => {
    const block = cidr('192.168.1.5/24');
    expect(formatIpv4(block.address)).toBe('192.168.1.5');
    expect(formatIpv4Cidr(block)).toBe('192.168.1.0/24');
  });

  it.each([
    ['0.0.0.0/0', 2 ** 32],
    ['10.0.0.7/32', 1],
  ])('handles the extreme prefix %s', (text, size) => {
    expect(cidr(text).size).toBe(size);
  });

  it.each([
    '10.96.0.0',
    '10.96.0.0/33',
    '10.96.0.0/',
    '10.96.0.0/08',
    '300.0.0.0/8',
    'fd00::/108',
    '1.2.3.4/8/9',
  ])('refuses %j', (text) => {
    expect(parseIpv4Cidr(text)).toBeUndefined();
  });

  it('tells containment by the whole block, network and broadcast included', () => {
    const block = cidr('10.244.1.0/24');
    expect(ipv4CidrContains(block, parseIpv4('10.244.1.0') ?? -1)).toBe(true);
    expect(ipv4CidrContains(block, parseIpv4('10.244.1.255') ?? -1)).toBe(true);
    expect(ipv4CidrContains(block, parseIpv4('10.244.2.0') ?? -1)).toBe(false);
  });

  it.each([
    ['10.244.0.0/16', '10.244.3.0/24', true],
    ['10.244.3.0/24', '10.244.0.0/16', true],
    ['10.244.1.0/24', '10.244.2.0/24', false],
  ])('%s and %s overlap: %s', (a, b, overlap) => {
    expect(ipv4CidrsOverlap(cidr(a), cidr(b))).toBe(overlap);
  });
});
