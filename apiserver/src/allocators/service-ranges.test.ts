import { describe, expect, it } from 'vitest';
import { formatIpv4Cidr } from '@skiff/api';
import { kubernetesServiceIp, parseServiceCidr, serviceIpRange } from './service-ranges.js';

describe('the service IP range', () => {
  it('parses the default service range', () => {
    expect(parseServiceCidr('10.96.0.0/12')).toMatchObject({ prefixLength: 12, size: 2 ** 20 });
    expect(serviceIpRange('10.96.0.0/12').description).toBe('10.96.0.0/12');
    expect(kubernetesServiceIp('10.96.0.0/12')).toBe('10.96.0.1');
  });

  it('normalizes a host address to its network', () => {
    expect(formatIpv4Cidr(parseServiceCidr('10.96.3.7/16'))).toBe('10.96.0.0/16');
  });

  it.each(['10.96.0.0', '10.96.0.0/33', '10.96.0.0/31', '300.0.0.0/8', 'fd00::/108', '01.2.3.4/8'])(
    'refuses %s',
    (text) => {
      expect(() => parseServiceCidr(text)).toThrow(/invalid service CIDR/);
    },
  );

  it('maps a range to offsets, excluding network and broadcast', () => {
    const range = serviceIpRange('10.0.0.0/29');
    expect([range.first, range.last]).toEqual([1, 6]);
    expect(range.offsetOf('10.0.0.6')).toBe(6);
    expect(range.offsetOf('10.0.0.8')).toBeUndefined();
    expect(range.reserved.has(1)).toBe(true);
  });
});
