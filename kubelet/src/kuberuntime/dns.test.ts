import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { parseResolvConf, podDnsConfig, type ClusterDns } from './dns.js';

const host = parseResolvConf(
  '# host\nnameserver 192.168.1.1\nnameserver 8.8.8.8\nsearch lan example.com\noptions edns0\n',
);
const dns: ClusterDns = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host };

describe('podDnsConfig', () => {
  it('reads the host resolv.conf', () => {
    expect(host).toEqual({
      servers: ['192.168.1.1', '8.8.8.8'],
      searches: ['lan', 'example.com'],
      options: ['edns0'],
    });
  });

  it('ClusterFirst uses the cluster DNS and the namespace search path', () => {
    expect(podDnsConfig(makePod().namespace('shop').obj(), dns)).toEqual({
      servers: ['10.96.0.10'],
      searches: [
        'shop.svc.cluster.local',
        'svc.cluster.local',
        'cluster.local',
        'lan',
        'example.com',
      ],
      options: ['ndots:5'],
    });
  });

  it('ClusterFirst falls back to the host without a cluster DNS, and for host networking', () => {
    const want = { servers: host.servers, searches: host.searches, options: host.options };
    expect(podDnsConfig(makePod().obj(), { ...dns, clusterDNS: [] })).toEqual(want);
    expect(podDnsConfig(makePod().spec({ hostNetwork: true }).obj(), dns)).toEqual(want);
  });

  it('ClusterFirstWithHostNet uses the cluster DNS even with host networking', () => {
    const pod = makePod().spec({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }).obj();
    expect(podDnsConfig(pod, dns).servers).toEqual(['10.96.0.10']);
  });

  it('Default uses the host resolv.conf', () => {
    expect(podDnsConfig(makePod().spec({ dnsPolicy: 'Default' }).obj(), dns).servers).toEqual(
      host.servers,
    );
  });

  it('None takes only dnsConfig; dnsConfig merges on top of the others', () => {
    const dnsConfig = {
      nameservers: ['1.1.1.1'],
      searches: ['my.dns.search'],
      options: [{ name: 'ndots', value: '2' }, { name: 'trust-ad' }],
    };
    expect(podDnsConfig(makePod().spec({ dnsPolicy: 'None', dnsConfig }).obj(), dns)).toEqual({
      servers: ['1.1.1.1'],
      searches: ['my.dns.search'],
      options: ['ndots:2', 'trust-ad'],
    });
    expect(podDnsConfig(makePod().spec({ dnsConfig }).obj(), dns).options).toEqual([
      'ndots:2',
      'trust-ad',
    ]);
  });
});
