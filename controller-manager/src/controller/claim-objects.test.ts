import { labelSelectorAsSelector } from '@skiff/api';
import { makePod, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { claimObjects } from './claim-objects.js';

const rs = makeReplicaSet().name('web').namespace('ns').uid('rs-uid').obj();
const other = makeReplicaSet().name('other').namespace('ns').uid('other-uid').obj();
const selector = labelSelectorAsSelector(rs.spec.selector);
const names = (pods: readonly { metadata: { name?: string } }[]) =>
  pods.map((p) => p.metadata.name);

describe('claiming pods', () => {
  const mine = makePod().name('mine').namespace('ns').labels({ app: 'web' }).controlledBy(rs).obj();
  const orphan = makePod().name('orphan').namespace('ns').labels({ app: 'web' }).obj();
  const strayed = makePod()
    .name('strayed')
    .namespace('ns')
    .labels({ app: 'db' })
    .controlledBy(rs)
    .obj();
  const theirs = makePod()
    .name('theirs')
    .namespace('ns')
    .labels({ app: 'web' })
    .controlledBy(other)
    .obj();
  const unrelated = makePod().name('unrelated').namespace('ns').labels({ app: 'db' }).obj();
  const dyingOrphan = makePod()
    .name('dying')
    .namespace('ns')
    .labels({ app: 'web' })
    .deletionTimestamp('2026-01-01T00:00:00Z')
    .obj();

  it('keeps its own, adopts matching orphans, releases pods that stopped matching', () => {
    const claims = claimObjects(rs, selector, [
      mine,
      orphan,
      strayed,
      theirs,
      unrelated,
      dyingOrphan,
    ]);
    expect(names(claims.owned)).toEqual(['mine']);
    expect(names(claims.adopt)).toEqual(['orphan']);
    expect(names(claims.release)).toEqual(['strayed']);
  });

  it('neither adopts nor releases while the ReplicaSet is being deleted', () => {
    const dying = {
      ...rs,
      metadata: { ...rs.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
    };
    const claims = claimObjects(dying, selector, [mine, orphan, strayed]);
    expect(names(claims.owned)).toEqual(['mine']);
    expect(claims.adopt).toEqual([]);
    expect(claims.release).toEqual([]);
  });
});
