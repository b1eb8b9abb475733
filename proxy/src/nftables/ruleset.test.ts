import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import { nftNames } from '../model/names.js';
import { planOf, readyEndpoint, WEB_KEY, webService, webSlice } from '../testing/fixtures.js';
import { nftBaseFragment } from './base.js';
import { nftServiceFragment } from './fragment.js';
import { NftRuleset } from './ruleset.js';

const ctx: RuleContext = { nodePortAddresses: ['192.168.1.10'] };
const key = WEB_KEY;
const fragment = (...ips: string[]) =>
  nftServiceFragment(planOf(webService().obj(), webSlice(...ips)), ctx);
const endpointChain = (ip: string) => nftNames.endpoint(key, readyEndpoint(ip));

describe('NftRuleset', () => {
  it('replaces the whole table on the first sync, so nothing an earlier run left survives', () => {
    const tx = new NftRuleset().transaction(
      'initial',
      nftBaseFragment(ctx),
      new Map([[key, fragment('10.244.1.2')]]),
    );
    expect(tx.text.split('\n').slice(0, 3)).toEqual([
      'add table ip kube-proxy { comment "rules for kube-proxy" ; }',
      'delete table ip kube-proxy',
      'add table ip kube-proxy { comment "rules for kube-proxy" ; }',
    ]);
  });

  it('rewrites only the changed service chain and deletes the removed endpoint chain', () => {
    const ruleset = new NftRuleset();
    ruleset
      .transaction(
        'initial',
        nftBaseFragment(ctx),
        new Map([[key, fragment('10.244.1.2', '10.244.1.3')]]),
      )
      .commit();
    const tx = ruleset.transaction(
      'partial',
      nftBaseFragment(ctx),
      new Map([[key, fragment('10.244.1.3')]]),
    );
    expect(tx.text.split('\n').filter(Boolean)).toEqual([
      `flush chain ip kube-proxy ${nftNames.cluster(key)}`,
      `add rule ip kube-proxy ${nftNames.cluster(key)} numgen random mod 1 vmap { 0 : goto ${endpointChain('10.244.1.3')} }`,
      `delete chain ip kube-proxy ${endpointChain('10.244.1.2')}`,
    ]);
  });

  it('deletes a removed Service port’s elements before its chains', () => {
    const ruleset = new NftRuleset();
    ruleset
      .transaction('initial', nftBaseFragment(ctx), new Map([[key, fragment('10.244.1.2')]]))
      .commit();
    const lines = ruleset
      .transaction('partial', nftBaseFragment(ctx), new Map([[key, undefined]]))
      .text.split('\n')
      .filter(Boolean);
    expect(lines.slice(0, 2)).toEqual([
      'delete element ip kube-proxy cluster-ips { 10.96.0.10 }',
      'delete element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 }',
    ]);
    expect(lines.slice(2).every((l) => l.startsWith('delete chain'))).toBe(true);
  });

  it('writes nothing when a partial sync changes nothing', () => {
    const ruleset = new NftRuleset();
    ruleset
      .transaction('initial', nftBaseFragment(ctx), new Map([[key, fragment('10.244.1.2')]]))
      .commit();
    expect(
      ruleset.transaction('partial', nftBaseFragment(ctx), new Map([[key, fragment('10.244.1.2')]]))
        .text,
    ).toBe('');
  });
});
