import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import { iptablesNames } from '../model/names.js';
import { planOf, readyEndpoint, WEB_KEY, webService, webSlice } from '../testing/fixtures.js';
import { iptablesServiceFragment } from './fragment.js';

const ctx: RuleContext = { nodePortAddresses: ['192.168.1.10'] };
const key = WEB_KEY;
const web = webService;
const slice = webSlice;
const sep = (ip: string) => iptablesNames.endpoint(key, readyEndpoint(ip));

describe('iptablesServiceFragment', () => {
  it('spreads connections evenly: probability 1/3, then 1/2, then the rest', () => {
    const f = iptablesServiceFragment(
      planOf(web().obj(), slice('10.244.1.2', '10.244.1.3', '10.244.1.4')),
      ctx,
    );
    const svc = f.natChains.find((c) => c.name === iptablesNames.cluster(key));
    expect(svc?.rules.map((r) => /--probability (\S+)/.exec(r)?.[1] ?? 'rest')).toEqual([
      '0.3333333333',
      '0.5000000000',
      'rest',
    ]);
    expect(svc?.rules.map((r) => /-j (\S+)$/.exec(r)?.[1])).toEqual([
      sep('10.244.1.2'),
      sep('10.244.1.3'),
      sep('10.244.1.4'),
    ]);
    expect(f.natServices).toEqual([
      `-m comment --comment "ns/web:http cluster IP" -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j ${iptablesNames.cluster(key)}`,
    ]);
  });

  it('masquerades hairpin traffic and DNATs in each endpoint chain', () => {
    const f = iptablesServiceFragment(planOf(web().obj(), slice('10.244.1.2')), ctx);
    expect(f.natChains.find((c) => c.name === sep('10.244.1.2'))?.rules).toEqual([
      '-m comment --comment "ns/web:http" -s 10.244.1.2/32 -j KUBE-MARK-MASQ',
      '-m comment --comment "ns/web:http" -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080',
    ]);
  });

  it.each([
    {
      name: 'rejects a Service without endpoints in the filter table',
      svc: web(),
      target: 'REJECT',
    },
    {
      name: 'drops internalTrafficPolicy Local without local endpoints',
      svc: web().spec({ internalTrafficPolicy: 'Local' }),
      ips: ['10.244.2.2'],
      target: 'DROP',
    },
  ])('$name', ({ svc, ips, target }) => {
    const f = iptablesServiceFragment(planOf(svc.obj(), slice(...(ips ?? []))), ctx);
    expect(f.natServices).toEqual([]);
    expect(f.filterServices).toEqual([
      `-m comment --comment "ns/web:http has no endpoints" -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j ${target}`,
    ]);
  });

  it('checks the recent list of every endpoint before choosing, for sessionAffinity ClientIP', () => {
    const svc = web().spec({ sessionAffinity: 'ClientIP' });
    const f = iptablesServiceFragment(planOf(svc.obj(), slice('10.244.1.2')), ctx);
    const rules = f.natChains.find((c) => c.name === iptablesNames.cluster(key))?.rules ?? [];
    expect(rules[0]).toContain(
      `-m recent --name ${sep('10.244.1.2')} --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j ${sep('10.244.1.2')}`,
    );
    expect(f.natChains.find((c) => c.name === sep('10.244.1.2'))?.rules[1]).toContain(
      `-m recent --set --name ${sep('10.244.1.2')}`,
    );
  });
});
