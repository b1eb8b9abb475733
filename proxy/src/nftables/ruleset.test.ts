import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import { nftNames } from '../model/names.js';
import { planOf, readyEndpoint, WEB_KEY, webService, webSlice } from '../testing/fixtures.js';
import { nftBaseFragment } from './base.js';
import { nftServiceFragment, type NftFragment } from './fragment.js';
import { NftRuleset, STALE_CHAIN_GRACE_MS, type NftTransaction } from './ruleset.js';

const ctx: RuleContext = { nodePortAddresses: ['192.168.1.10'] };
const key = WEB_KEY;
const fragment = (...ips: string[]) =>
  nftServiceFragment(planOf(webService().obj(), webSlice(...ips)), ctx);
const endpointChain = (ip: string) => nftNames.endpoint(key, readyEndpoint(ip));
const base = nftBaseFragment(ctx);
const lines = (tx: NftTransaction): string[] => tx.text.split('\n').filter(Boolean);

/** A ruleset whose first sync programmed `web` as `programmed`. */
function programmed(web: NftFragment): NftRuleset {
  const ruleset = new NftRuleset();
  ruleset.transaction('initial', base, new Map([[key, web]]), 0).commit();
  return ruleset;
}

describe('NftRuleset', () => {
  it('replaces the whole table on the first sync, so nothing an earlier run left survives', () => {
    const tx = new NftRuleset().transaction(
      'initial',
      nftBaseFragment(ctx),
      new Map([[key, fragment('10.244.1.2')]]),
      0,
    );
    expect(tx.text.split('\n').slice(0, 3)).toEqual([
      'add table ip kube-proxy { comment "rules for kube-proxy" ; }',
      'delete table ip kube-proxy',
      'add table ip kube-proxy { comment "rules for kube-proxy" ; }',
    ]);
  });

  it('rewrites only the changed service chain; flushes the removed endpoint chain, then deletes it', () => {
    const ruleset = programmed(fragment('10.244.1.2', '10.244.1.3'));
    const tx = ruleset.transaction('partial', base, new Map([[key, fragment('10.244.1.3')]]), 0);
    expect(lines(tx)).toEqual([
      `flush chain ip kube-proxy ${nftNames.cluster(key)}`,
      `add rule ip kube-proxy ${nftNames.cluster(key)} numgen random mod 1 vmap { 0 : goto ${endpointChain('10.244.1.3')} }`,
      `flush chain ip kube-proxy ${endpointChain('10.244.1.2')}`,
      `delete chain ip kube-proxy ${endpointChain('10.244.1.2')}`,
    ]);
  });

  it('deletes a removed Service port’s elements, flushes all its chains, and only then deletes them', () => {
    const ruleset = programmed(fragment('10.244.1.2'));
    const removed = lines(ruleset.transaction('partial', base, new Map([[key, undefined]]), 0));
    // Deleted one by one in fragment order, the endpoint chain went while the service chain's
    // vmap still jumped to it: "Device or resource busy".
    expect(removed).toEqual([
      'delete element ip kube-proxy cluster-ips { 10.96.0.10 }',
      'delete element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 }',
      `flush chain ip kube-proxy ${endpointChain('10.244.1.2')}`,
      `flush chain ip kube-proxy ${nftNames.cluster(key)}`,
      `delete chain ip kube-proxy ${endpointChain('10.244.1.2')}`,
      `delete chain ip kube-proxy ${nftNames.cluster(key)}`,
    ]);
  });

  it('offers the same change without the deletions, for a kernel that refuses them', () => {
    const ruleset = programmed(fragment('10.244.1.2'));
    const tx = ruleset.transaction('partial', base, new Map([[key, undefined]]), 0);
    const without = tx.withoutStaleChainDeletions;
    expect(without && lines(without)).toEqual(
      lines(tx).filter((l) => !l.startsWith('delete chain')),
    );
    without?.commit();
    expect(ruleset.staleChainsDeletableAt()).toBe(STALE_CHAIN_GRACE_MS);
  });

  describe('with deletion deferred (kernels before 6.2)', () => {
    const deferred = (web: NftFragment): NftRuleset => {
      const ruleset = programmed(web);
      ruleset.deferStaleChainDeletion();
      return ruleset;
    };

    it.each([
      ['before the grace period', STALE_CHAIN_GRACE_MS - 1, []],
      [
        'once the grace period has passed',
        STALE_CHAIN_GRACE_MS,
        [
          `delete chain ip kube-proxy ${endpointChain('10.244.1.2')}`,
          `delete chain ip kube-proxy ${nftNames.cluster(key)}`,
        ],
      ],
    ])('deletes flushed chains in a later transaction: %s', (_when, later, deletions) => {
      const ruleset = deferred(fragment('10.244.1.2'));
      const removal = ruleset.transaction('partial', base, new Map([[key, undefined]]), 5000);
      expect(lines(removal).some((l) => l.startsWith('delete chain'))).toBe(false);
      removal.commit();
      expect(ruleset.staleChainsDeletableAt()).toBe(5000 + STALE_CHAIN_GRACE_MS);
      const next = ruleset.transaction('partial', base, new Map(), 5000 + later);
      expect(lines(next)).toEqual(deletions);
      next.commit();
      expect(ruleset.staleChainsDeletableAt()).toBe(
        deletions.length > 0 ? undefined : 5000 + STALE_CHAIN_GRACE_MS,
      );
    });

    it('takes a stale chain back into use instead of deleting it', () => {
      const ruleset = deferred(fragment('10.244.1.2', '10.244.1.3'));
      ruleset.transaction('partial', base, new Map([[key, fragment('10.244.1.3')]]), 0).commit();
      const back = ruleset.transaction(
        'partial',
        base,
        new Map([[key, fragment('10.244.1.2', '10.244.1.3')]]),
        STALE_CHAIN_GRACE_MS,
      );
      expect(lines(back)).toContain(`add chain ip kube-proxy ${endpointChain('10.244.1.2')}`);
      expect(lines(back).some((l) => l.startsWith('delete chain'))).toBe(false);
      back.commit();
      expect(ruleset.staleChainsDeletableAt()).toBeUndefined();
    });

    it('leaves a full sync’s unwanted chains flushed with the table, for a later deletion', () => {
      const ruleset = deferred(fragment('10.244.1.2'));
      const tx = ruleset.transaction('full', base, new Map(), 0);
      expect(lines(tx)).toContain('flush table ip kube-proxy');
      expect(lines(tx).some((l) => l.startsWith('delete chain'))).toBe(false);
      tx.commit();
      expect(ruleset.staleChainsDeletableAt()).toBe(STALE_CHAIN_GRACE_MS);
    });
  });

  it('writes nothing when a partial sync changes nothing', () => {
    const ruleset = programmed(fragment('10.244.1.2'));
    expect(
      ruleset.transaction('partial', base, new Map([[key, fragment('10.244.1.2')]]), 0).text,
    ).toBe('');
  });
});
