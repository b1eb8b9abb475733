import type { OwnerReference } from '@skiff/api';
import { makeDeployment, makePod, makeReplicaSet } from '@skiff/api/testing';
import type { Client, DeleteOptions, KubeObject, ResourceClient } from '@skiff/client';
import { createFakeClient, type Action } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { fromDocuments } from './discovery.js';
import { GarbageCollector } from './garbage-collector.js';
import { DependencyGraph, nodeOf } from './graph.js';

const discovery = fromDocuments(
  [
    {
      groupVersion: 'v1',
      list: { resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['delete'] }] },
    },
    {
      groupVersion: 'apps/v1',
      list: {
        resources: [
          { name: 'replicasets', kind: 'ReplicaSet', namespaced: true, verbs: ['delete'] },
          { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['delete'] },
        ],
      },
    },
  ],
  new Set(['v1', 'apps/v1']),
);
const PODS = { group: '', version: 'v1', resource: 'pods' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };

const rs = (name: string, uid: string) =>
  makeReplicaSet().name(name).namespace('ns').uid(uid).resourceVersion('1');
const pod = (name: string, uid: string) =>
  makePod().name(name).namespace('ns').uid(uid).resourceVersion('1');
const ref = (name: string, uid: string, block = true): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name,
  uid,
  controller: true,
  blockOwnerDeletion: block,
});
const DELETED_AT = '2026-01-01T00:00:00Z';

interface Seed {
  readonly object: KubeObject;
  readonly resource: typeof PODS;
  readonly kind: string;
  /** Whether the informers have shown it (in the graph) — default yes. */
  readonly inGraph?: boolean;
  /** Whether the apiserver has it — default yes. */
  readonly live?: boolean;
}

const asPod = (object: KubeObject, opts: Partial<Seed> = {}): Seed => ({
  object,
  resource: PODS,
  kind: 'Pod',
  ...opts,
});
const asRS = (object: KubeObject, opts: Partial<Seed> = {}): Seed => ({
  object,
  resource: RS,
  kind: 'ReplicaSet',
  ...opts,
});

function setup(seeds: readonly Seed[]) {
  const fake = createFakeClient({
    objects: seeds.filter((s) => s.live !== false).map((s) => s.object),
  });
  const graph = new DependencyGraph();
  for (const s of seeds) {
    if (s.inGraph !== false) graph.upsert(nodeOf(s.object, s.resource, s.kind));
  }
  const deletes: string[] = [];
  const requeued: string[] = [];
  const refreshes: string[] = [];
  // The fake records the verb, not the delete options: keep the propagation policy here.
  const client: Pick<Client, 'resource'> = {
    resource: <T extends KubeObject>(gvr: typeof PODS, namespace?: string) => {
      const real = fake.resource<T>(gvr, namespace);
      const recording: ResourceClient<T> = Object.create(real) as ResourceClient<T>;
      recording.delete = (name: string, options?: DeleteOptions) => {
        deletes.push(`${gvr.resource}/${name} ${options?.propagationPolicy ?? ''}`);
        return real.delete(name, options);
      };
      return recording;
    },
  };
  const gc = new GarbageCollector({
    client,
    graph,
    discovery: () => discovery,
    refreshDiscovery: () => {
      refreshes.push('discovery');
      return Promise.resolve();
    },
    waitForSync: () => Promise.resolve(),
    attemptToDelete: (uid) => requeued.push(uid),
    log: () => undefined,
  });
  const signal = new AbortController().signal;
  const writes = () =>
    fake
      .actions()
      .filter((a: Action) => a.verb === 'update' || a.verb === 'patch')
      .map((a) => `${a.verb} ${a.resource}/${a.name ?? ''}`);
  const stored = async (gvr: typeof PODS, name: string) =>
    fake.resource<KubeObject>(gvr, 'ns').get(name);
  return { gc, graph, fake, deletes, requeued, refreshes, writes, signal, stored };
}

describe('garbage collector: background deletion', () => {
  it.each([
    ['gone (404)', [] as Seed[]],
    ['replaced by an object of the same name and another uid', [asRS(rs('web', 'rs-2').obj())]],
  ])('deletes a dependent whose only owner is %s', async (_what, owners) => {
    const t = setup([...owners, asPod(pod('p', 'pod-1').ownerReference(ref('web', 'rs-1')).obj())]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.deletes).toEqual(['pods/p Background']);
  });

  it('never deletes on cache absence alone: an owner the informers missed but the apiserver has', async () => {
    const t = setup([
      asRS(rs('web', 'rs-1').obj(), { inGraph: false }),
      asPod(pod('p', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
    ]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.deletes).toEqual([]);
    expect(t.writes()).toEqual([]);
  });

  it('spends no request on a dependent whose owners are all in the informers’ caches', async () => {
    const t = setup([
      asRS(rs('web', 'rs-1').obj()),
      asPod(pod('p', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
    ]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.fake.actions()).toEqual([]);
  });

  it('removes only the dangling reference of a dependent that still has a live owner', async () => {
    const t = setup([
      asRS(rs('alive', 'rs-1').obj()),
      asPod(
        pod('p', 'pod-1')
          .ownerReference(ref('alive', 'rs-1', false))
          .ownerReference(ref('gone', 'rs-2'))
          .obj(),
      ),
    ]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.deletes).toEqual([]);
    expect(t.writes()).toEqual(['update pods/p']);
    const p = await t.stored(PODS, 'p');
    expect(p.metadata?.ownerReferences?.map((r) => r.uid)).toEqual(['rs-1']);
  });

  it('deletes a dependent once all of its owners are gone', async () => {
    const t = setup([
      asPod(
        pod('p', 'pod-1').ownerReference(ref('a', 'rs-1')).ownerReference(ref('b', 'rs-2')).obj(),
      ),
    ]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.deletes).toEqual(['pods/p Background']);
  });

  it('leaves alone an object already being deleted, or one the apiserver no longer has', async () => {
    const t = setup([
      asPod(
        pod('going', 'pod-1')
          .ownerReference(ref('gone', 'rs-1'))
          .finalizers('example.com/hold')
          .deletionTimestamp(DELETED_AT)
          .obj(),
      ),
      asPod(pod('stale', 'pod-2').ownerReference(ref('gone', 'rs-1')).obj(), { live: false }),
    ]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    await t.gc.attemptToDeleteItem('pod-2', t.signal);
    expect(t.deletes).toEqual([]);
  });

  it('reads discovery again for an unknown owner kind, and retries (throws) while it stays unknown instead of deleting', async () => {
    const t = setup([
      asPod(
        pod('p', 'pod-1')
          .ownerReference({ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'w-1' })
          .obj(),
      ),
    ]);
    await expect(t.gc.attemptToDeleteItem('pod-1', t.signal)).rejects.toThrow(/Widget/);
    expect(t.refreshes).toEqual(['discovery']);
    expect(t.deletes).toEqual([]);
  });
});

describe('garbage collector: foreground deletion', () => {
  const deletingRS = () =>
    rs('web', 'rs-1').finalizers('foregroundDeletion').deletionTimestamp(DELETED_AT).obj();

  it('sends the blocking dependents of an owner deleted in the foreground to be deleted', async () => {
    const t = setup([
      asRS(deletingRS()),
      asPod(pod('a', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
      asPod(pod('b', 'pod-2').ownerReference(ref('web', 'rs-1')).obj()),
    ]);
    await t.gc.attemptToDeleteItem('rs-1', t.signal);
    expect(t.requeued.sort()).toEqual(['pod-1', 'pod-2']);
    expect(t.writes()).toEqual([]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.deletes).toEqual(['pods/a Background']);
  });

  it('removes the foregroundDeletion finalizer once no dependent blocks the owner', async () => {
    const t = setup([
      asRS(deletingRS()),
      asPod(pod('a', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
    ]);
    t.graph.remove('pod-1'); // the informer saw the pod go
    await t.gc.attemptToDeleteItem('rs-1', t.signal);
    expect(t.writes()).toEqual(['update replicasets/web']);
  });

  it('does not wait for dependents that do not block owner deletion', async () => {
    const t = setup([
      asRS(deletingRS()),
      asPod(
        pod('a', 'pod-1')
          .ownerReference(ref('web', 'rs-1', false))
          .obj(),
      ),
    ]);
    await t.gc.attemptToDeleteItem('rs-1', t.signal);
    expect(t.writes()).toEqual(['update replicasets/web']);
  });

  it('deletes a dependent that has dependents of its own in the foreground too', async () => {
    const deployment = makeDeployment()
      .name('d')
      .namespace('ns')
      .uid('d-1')
      .resourceVersion('1')
      .finalizers('foregroundDeletion')
      .deletionTimestamp(DELETED_AT)
      .obj();
    const t = setup([
      { object: deployment, resource: DEPLOYMENTS, kind: 'Deployment' },
      asRS(
        rs('web', 'rs-1')
          .ownerReference({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'd',
            uid: 'd-1',
            blockOwnerDeletion: true,
          })
          .obj(),
      ),
      asPod(pod('a', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
    ]);
    await t.gc.attemptToDeleteItem('rs-1', t.signal);
    expect(t.deletes).toEqual(['replicasets/web Foreground']);
  });

  it('breaks a cycle: a dependent deleting its own dependents stops blocking before its owner is deleted in the foreground', async () => {
    // a owns b, b owns a; a is deleted in the foreground.
    const t = setup([
      asRS(
        rs('a', 'rs-a')
          .ownerReference(ref('b', 'rs-b'))
          .finalizers('foregroundDeletion')
          .deletionTimestamp(DELETED_AT)
          .obj(),
      ),
      asRS(rs('b', 'rs-b').ownerReference(ref('a', 'rs-a')).obj()),
    ]);
    await t.gc.attemptToDeleteItem('rs-b', t.signal);
    const a = await t.stored(RS, 'a');
    expect(a.metadata?.ownerReferences?.[0]?.blockOwnerDeletion).toBe(false);
    expect(t.deletes).toEqual(['replicasets/b Foreground']);
  });

  it('unblocks an owner deleted in the foreground when the dependent has another live owner', async () => {
    const t = setup([
      asRS(deletingRS()),
      asRS(rs('other', 'rs-2').obj()),
      asPod(
        pod('a', 'pod-1')
          .ownerReference(ref('web', 'rs-1'))
          .ownerReference(ref('other', 'rs-2', false))
          .obj(),
      ),
    ]);
    await t.gc.attemptToDeleteItem('pod-1', t.signal);
    expect(t.deletes).toEqual([]);
    const p = await t.stored(PODS, 'a');
    expect(p.metadata?.ownerReferences?.map((r) => [r.uid, r.blockOwnerDeletion])).toEqual([
      ['rs-1', false],
      ['rs-2', false],
    ]);
  });
});

describe('garbage collector: orphan deletion', () => {
  it('removes the owner reference from every dependent, then the orphan finalizer', async () => {
    const t = setup([
      asRS(rs('web', 'rs-1').finalizers('orphan').deletionTimestamp(DELETED_AT).obj()),
      asRS(rs('other', 'rs-2').obj()),
      asPod(pod('a', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
      asPod(
        pod('b', 'pod-2')
          .ownerReference(ref('web', 'rs-1'))
          .ownerReference(ref('other', 'rs-2'))
          .obj(),
      ),
    ]);
    await t.gc.attemptToOrphanItem('rs-1', t.signal);
    expect(t.writes().sort()).toEqual(['update pods/a', 'update pods/b', 'update replicasets/web']);
    expect((await t.stored(PODS, 'a')).metadata?.ownerReferences ?? []).toEqual([]);
    expect((await t.stored(PODS, 'b')).metadata?.ownerReferences?.map((r) => r.uid)).toEqual([
      'rs-2',
    ]);
    expect(t.deletes).toEqual([]);
  });

  it('does nothing for an owner that is not being orphaned', async () => {
    const t = setup([
      asRS(rs('web', 'rs-1').obj()),
      asPod(pod('a', 'pod-1').ownerReference(ref('web', 'rs-1')).obj()),
    ]);
    await t.gc.attemptToOrphanItem('rs-1', t.signal);
    expect(t.writes()).toEqual([]);
  });
});
