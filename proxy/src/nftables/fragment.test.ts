import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import { nftNames } from '../model/names.js';
import { planOf, readyEndpoint, WEB_KEY, webService, webSlice } from '../testing/fixtures.js';
import { nftServiceFragment, type NftFragment } from './fragment.js';

const ctx: RuleContext = {
  clusterCIDR: '10.244.0.0/16',
  nodePortAddresses: ['192.168.1.10', '127.0.0.1'],
};
const key = WEB_KEY;
const web = webService;
const slice = webSlice;
const rules = (f: NftFragment, chain: string): readonly string[] | undefined =>
  f.chains.find((c) => c.name === chain)?.rules;
const elements = (f: NftFragment, set: string) =>
  f.elements.filter((e) => e.set === set).map((e) => (e.value ? `${e.key} : ${e.value}` : e.key));
const endpointChain = (ip: string) => nftNames.endpoint(key, readyEndpoint(ip));

describe('nftServiceFragment', () => {
  it('picks among the endpoints with numgen random and DNATs in one chain per endpoint', () => {
    const f = nftServiceFragment(planOf(web().obj(), slice('10.244.1.2', '10.244.2.2')), ctx);
    expect(rules(f, nftNames.cluster(key))).toEqual([
      'ip daddr 10.96.0.10 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
      `numgen random mod 2 vmap { 0 : goto ${endpointChain('10.244.1.2')} , 1 : goto ${endpointChain('10.244.2.2')} }`,
    ]);
    expect(rules(f, endpointChain('10.244.1.2'))).toEqual([
      'ip saddr 10.244.1.2 jump mark-for-masquerade',
      'meta l4proto tcp dnat to 10.244.1.2:8080',
    ]);
    expect(elements(f, 'service-ips')).toEqual([
      `10.96.0.10 . tcp . 80 : goto ${nftNames.cluster(key)}`,
    ]);
    expect(elements(f, 'cluster-ips')).toEqual(['10.96.0.10']);
  });

  it.each([
    {
      name: 'rejects ClusterIP traffic without endpoints',
      svc: web(),
      want: ['10.96.0.10 . tcp . 80 : goto reject-chain'],
    },
    {
      name: 'drops ClusterIP traffic of internalTrafficPolicy Local without local endpoints',
      svc: web().spec({ internalTrafficPolicy: 'Local' }),
      ips: ['10.244.2.2'],
      want: ['10.96.0.10 . tcp . 80 : drop'],
    },
  ])('$name', ({ svc, ips, want }) => {
    const f = nftServiceFragment(planOf(svc.obj(), slice(...(ips ?? []))), ctx);
    expect(elements(f, 'no-endpoint-services')).toEqual(want);
    expect(elements(f, 'service-ips')).toEqual([]);
  });

  it('remembers a client per endpoint for sessionAffinity ClientIP, with its timeout', () => {
    const svc = web().spec({
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    });
    const f = nftServiceFragment(planOf(svc.obj(), slice('10.244.1.2')), ctx);
    const affinity = nftNames.affinity(key, {
      ip: '10.244.1.2',
      port: 8080,
      ready: true,
      serving: true,
      terminating: false,
      isLocal: false,
    });
    expect(f.sets).toEqual([
      { name: affinity, spec: '{ type ipv4_addr ; flags dynamic,timeout ; timeout 600s ; }' },
    ]);
    expect(rules(f, nftNames.cluster(key))?.[1]).toBe(
      `ip saddr @${affinity} goto ${endpointChain('10.244.1.2')}`,
    );
    expect(rules(f, endpointChain('10.244.1.2'))).toContain(`update @${affinity} { ip saddr }`);
  });

  it('sends node ports and external IPs through a masquerading external chain', () => {
    const svc = makeService()
      .name('web')
      .namespace('ns')
      .type('NodePort')
      .clusterIP('10.96.0.10')
      .port(80, { name: 'http', nodePort: 30080 })
      .spec({ externalIPs: ['203.0.113.7'] });
    const f = nftServiceFragment(planOf(svc.obj(), slice('10.244.1.2')), ctx);
    expect(rules(f, nftNames.external(key))).toEqual([
      'jump mark-for-masquerade',
      `goto ${nftNames.cluster(key)}`,
    ]);
    expect(elements(f, 'service-nodeports')).toEqual([
      `tcp . 30080 : goto ${nftNames.external(key)}`,
    ]);
    expect(elements(f, 'service-ips')).toContain(
      `203.0.113.7 . tcp . 80 : goto ${nftNames.external(key)}`,
    );
  });

  it('keeps the client address for externalTrafficPolicy Local, short-circuiting pods and the node', () => {
    const svc = makeService()
      .name('web')
      .namespace('ns')
      .type('NodePort')
      .clusterIP('10.96.0.10')
      .port(80, { name: 'http', nodePort: 30080 })
      .spec({ externalTrafficPolicy: 'Local' });
    const s = makeEndpointSlice()
      .namespace('ns')
      .port(8080, { name: 'http' })
      .endpoint('10.244.1.2', {}, { nodeName: 'node-a' })
      .endpoint('10.244.2.2', {}, { nodeName: 'node-b' })
      .obj();
    const f = nftServiceFragment(planOf(svc.obj(), s), ctx);
    expect(rules(f, nftNames.external(key))).toEqual([
      `ip saddr 10.244.0.0/16 goto ${nftNames.cluster(key)}`,
      'fib saddr type local jump mark-for-masquerade',
      `fib saddr type local goto ${nftNames.cluster(key)}`,
      `goto ${nftNames.local(key)}`,
    ]);
    expect(rules(f, nftNames.local(key))).toEqual([
      `numgen random mod 1 vmap { 0 : goto ${endpointChain('10.244.1.2')} }`,
    ]);
  });
});
