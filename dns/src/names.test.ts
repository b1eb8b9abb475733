import { describe, expect, it } from 'vitest';
import { dashedIP, ipFromDashed, ipFromReverseName, normalizeIP, reverseName } from './names.js';

describe('names', () => {
  it.each([
    ['10.1.2.3', '3.2.1.10.in-addr.arpa', '10-1-2-3'],
    ['fd00::1', `1.${'0.'.repeat(27)}0.0.d.f.ip6.arpa`, 'fd00--1'],
    [
      '2001:db8:0:1::a:b',
      'b.0.0.0.a.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      '2001-db8-0-1--a-b',
    ],
  ])('%s ↔ %s ↔ %s', (ip, reverse, dashed) => {
    expect(reverseName(ip)).toBe(reverse);
    expect(ipFromReverseName(reverse)).toBe(ip);
    expect(dashedIP(ip)).toBe(dashed);
    expect(ipFromDashed(dashed)).toBe(ip);
  });

  it.each([
    '1.10.in-addr.arpa',
    '256.1.1.10.in-addr.arpa',
    '01.1.1.10.in-addr.arpa',
    'x.1.1.10.in-addr.arpa',
    '1.ip6.arpa',
  ])('finds no address in the partial or malformed reverse name %s', (name) =>
    expect(ipFromReverseName(name)).toBeUndefined(),
  );

  it.each(['web', '10-1-2', '10-1-2-300', 'a-b-c-d'])('finds no address in the label %s', (label) =>
    expect(ipFromDashed(label)).toBeUndefined(),
  );

  it.each([
    ['FD00:0000::0001', 'fd00::1'],
    ['fd00:0:0:0:0:0:0:1', 'fd00::1'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
    ['10.0.0.1', '10.0.0.1'],
  ])('spells %s as %s', (ip, normal) => expect(normalizeIP(ip)).toBe(normal));
});
