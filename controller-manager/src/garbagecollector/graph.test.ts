import type { OwnerReference } from '@skiff/api';
import { makePod, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { DependencyGraph, nodeOf, referenceDiff } from './graph.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const ref = (uid: string, block = true): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: uid,
  uid,
  blockOwnerDeletion: block,
});
const podNode = (uid: string, ...owners: OwnerReference[]) => {
  const b = makePod().name(uid).namespace('ns').uid(uid);
  for (const o of owners) b.ownerReference(o);
  return nodeOf(b.obj(), PODS, 'Pod');
};
const rsNode = (uid: string, finalizer?: string) => {
  const b = makeReplicaSet().name(uid).namespace('ns').uid(uid);
  if (finalizer) b.finalizers(finalizer).deletionTimestamp('2026-01-01T00:00:00Z');
  return nodeOf(b.obj(), RS, 'ReplicaSet');
};

describe('dependency graph', () => {
  it('checks a new dependent whose owner the informers have not shown', () => {
    const g = new DependencyGraph();
    expect(g.upsert(podNode('p', ref('rs'))).attemptToDelete).toEqual(['p']);
    g.upsert(rsNode('rs2'));
    expect(g.upsert(podNode('q', ref('rs2'))).attemptToDelete).toEqual([]);
  });

  it('sends the dependents of an owner that goes to attemptToDelete', () => {
    const g = new DependencyGraph();
    g.upsert(rsNode('rs'));
    g.upsert(podNode('a', ref('rs')));
    g.upsert(podNode('b', ref('rs')));
    expect(g.remove('rs').attemptToDelete.sort()).toEqual(['a', 'b']);
  });

  it('on the foregroundDeletion transition sends the dependents and the owner, and the owner again when a blocker goes', () => {
    const g = new DependencyGraph();
    g.upsert(rsNode('rs'));
    g.upsert(podNode('a', ref('rs')));
    expect(g.upsert(rsNode('rs', 'foregroundDeletion')).attemptToDelete).toEqual(['a', 'rs']);
    expect(g.blockingDependents('rs').map((n) => n.identity.uid)).toEqual(['a']);
    expect(g.remove('a').attemptToDelete).toEqual(['rs']);
    expect(g.blockingDependents('rs')).toEqual([]);
  });

  it('sends a waiting owner again when a dependent stops blocking it or drops the reference', () => {
    const g = new DependencyGraph();
    g.upsert(rsNode('rs', 'foregroundDeletion'));
    g.upsert(podNode('a', ref('rs')));
    expect(g.upsert(podNode('a', ref('rs', false))).attemptToDelete).toEqual(['rs']);
    expect(g.upsert(podNode('a')).attemptToDelete).toEqual(['rs']);
    expect(g.dependents('rs')).toEqual([]);
  });

  it('sends an owner with the orphan finalizer to attemptToOrphan', () => {
    const g = new DependencyGraph();
    expect(g.upsert(rsNode('rs', 'orphan')).attemptToOrphan).toEqual(['rs']);
  });

  it('diffs owner references by uid', () => {
    const d = referenceDiff([ref('a'), ref('b')], [ref('b', false), ref('c')]);
    expect([d.added, d.removed, d.changed].map((l) => l.map((r) => r.uid))).toEqual([
      ['c'],
      ['a'],
      ['b'],
    ]);
  });
});
