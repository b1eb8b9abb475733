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

  // Kubernetes' matrix (pkg/kubelet/network/dns): which base a pod gets by policy, host
  // networking and whether --cluster-dns is set; dnsConfig is merged on top of each.
  const clusterBase = {
    servers: ['10.96.0.10'],
    searches: [
      'default.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'lan',
      'example.com',
    ],
    options: ['ndots:5'],
  };
  const hostBase = { servers: host.servers, searches: host.searches, options: host.options };
  const noneBase = { servers: [], searches: [], options: [] };
  it.each([
    ['ClusterFirst', false, true, clusterBase],
    ['ClusterFirst', true, true, hostBase],
    ['ClusterFirst', false, false, hostBase],
    ['ClusterFirstWithHostNet', true, true, clusterBase],
    ['ClusterFirstWithHostNet', false, true, clusterBase],
    ['ClusterFirstWithHostNet', true, false, hostBase],
    ['Default', false, true, hostBase],
    ['Default', true, true, hostBase],
    ['None', false, true, noneBase],
    ['None', true, true, noneBase],
  ] as const)('%s, hostNetwork %s, cluster DNS set %s', (dnsPolicy, hostNetwork, withDns, want) => {
    const pod = makePod().spec({ dnsPolicy, hostNetwork }).obj();
    expect(podDnsConfig(pod, withDns ? dns : { ...dns, clusterDNS: [] })).toEqual(want);
  });

  it('reads the last search and options lines, without trailing dots', () => {
    expect(
      parseResolvConf(
        'search a.example.\nsearch b.example. c.example\noptions ndots:1\noptions edns0\n',
      ),
    ).toEqual({ servers: [], searches: ['b.example', 'c.example'], options: ['edns0'] });
  });

  it('adds no service search path without a cluster domain', () => {
    expect(podDnsConfig(makePod().obj(), { ...dns, clusterDomain: '' }).searches).toEqual([
      'lan',
      'example.com',
    ]);
  });

  it('keeps three nameservers and the search list within 32 entries and 2048 characters', () => {
    const many = (n: number, length: number): string[] =>
      Array.from({ length: n }, (_, i) => `${String(i).padStart(length - 4, 'x')}.com`);
    const dnsConfig = { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'], searches: many(40, 20) };
    const wide = podDnsConfig(makePod().spec({ dnsConfig }).obj(), dns);
    expect(wide.servers).toEqual(['10.96.0.10', '1.1.1.1', '8.8.8.8']);
    expect(wide.searches).toHaveLength(32);
    const long = podDnsConfig(
      makePod()
        .spec({ dnsPolicy: 'None', dnsConfig: { searches: [...many(30, 100), 'x'.repeat(254)] } })
        .obj(),
      dns,
    );
    // 20 entries of 100 characters and their spaces fit in 2048; a 254-character one never does.
    expect(long.searches).toHaveLength(20);
    expect((long.searches ?? []).join(' ').length).toBeLessThanOrEqual(2048);
  });
});
