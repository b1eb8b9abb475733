// The ReplicaSet controller, sample-controller style: seed the listers, reconcile one key,
// assert on the fake client's actions.
import { apiErrors, type Pod, type ReplicaSet } from '@skiff/api';
import { makePod, makeReplicaSet } from '@skiff/api/testing';
import type { Action } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, seededLister, unitFixture } from '../testing/fixture.js';
import { ReplicaSetController } from './replica-set-controller.js';

const rs = (replicas: number) =>
  makeReplicaSet().name('web').namespace('ns').uid('rs-uid').generation(1).replicas(replicas);
const ownedPod = (name: string, owner: ReplicaSet) =>
  makePod()
    .name(name)
    .namespace('ns')
    .uid(`uid-${name}`)
    .labels({ app: 'web' })
    .controlledBy(owner);

function setup(replicaSet: ReplicaSet, pods: Pod[] = []) {
  const f = unitFixture([replicaSet, ...pods]);
  const podCache = seededLister(pods);
  const controller = new ReplicaSetController({
    ...f.context,
    client: f.client,
    pods: podCache.lister,
    replicaSets: listerOf([replicaSet]),
    queue: f.queue,
  });
  const sync = () => controller.reconcile({ namespace: 'ns', name: 'web' }, f.signal);
  return { ...f, controller, podCache, sync };
}

const summary = (actions: Action[]) =>
  actions.map((a) =>
    [a.verb, a.resource, a.subresource ?? a.name ?? ''].filter((x) => x !== '').join(' '),
  );

describe('ReplicaSet controller sync', () => {
  it('creates the missing pods from the template, owned by the ReplicaSet, then writes status', async () => {
    const t = setup(rs(3).obj());
    await t.sync();
    expect(summary(t.client.actions())).toEqual([
      'create pods',
      'create pods',
      'create pods',
      'update replicasets status',
    ]);
    const created = t.client.actions()[0]?.object as Pod;
    expect(created.metadata).toMatchObject({
      generateName: 'web-',
      namespace: 'ns',
      labels: { app: 'web' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: 'rs-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    // The cache has seen none of them yet: status says so, and says which generation it saw.
    expect((t.client.actions()[3]?.object as ReplicaSet).status).toMatchObject({
      replicas: 0,
      observedGeneration: 1,
    });
    expect(t.events.map((e) => e.reason)).toEqual([
      'SuccessfulCreate',
      'SuccessfulCreate',
      'SuccessfulCreate',
    ]);
  });

  it('creates nothing more until the cache has seen its creations (expectations)', async () => {
    const t = setup(rs(3).obj());
    await t.sync();
    t.client.clearActions();
    await t.sync();
    expect(summary(t.client.actions()).filter((a) => a.startsWith('create'))).toEqual([]);

    // The informer reports the three pods: expectations are met and the cache is complete.
    const seen = [0, 1, 2].map((i) => ownedPod(`web-${i}`, rs(3).obj()).obj());
    for (const pod of seen) {
      t.podCache.indexer.set(pod);
      t.controller.onPodAdd(pod);
    }
    expect(t.controller.expectations.satisfied('ns/web')).toBe(true);
    t.client.clearActions();
    await t.sync();
    expect(summary(t.client.actions()).filter((a) => a.startsWith('create'))).toEqual([]);
  });

  it('gives up waiting for creations after the expectations TTL', async () => {
    const t = setup(rs(2).obj());
    await t.sync();
    t.client.clearActions();
    await t.clock.advance(5 * 60_000);
    await t.sync();
    expect(summary(t.client.actions()).filter((a) => a === 'create pods')).toHaveLength(2);
  });

  it('creates at most 500 pods per sync, in slow-start batches', async () => {
    const t = setup(rs(600).obj());
    await t.sync();
    expect(t.client.actions().filter((a) => a.verb === 'create')).toHaveLength(500);
  });

  it('stops at the first failed batch, sets ReplicaFailure and records the apiserver message', async () => {
    const t = setup(rs(10).obj());
    const refusal = apiErrors.forbidden(
      { group: '', resource: 'pods' },
      '',
      'exceeded quota: compute',
    );
    t.client.prependReactor('create', 'pods', () => ({ error: refusal }));
    await expect(t.sync()).rejects.toThrow('exceeded quota');
    const actions = summary(t.client.actions());
    expect(actions).toEqual(['create pods', 'update replicasets status']);
    const status = (t.client.actions()[1]?.object as ReplicaSet).status;
    expect(status?.conditions).toEqual([
      expect.objectContaining({
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: refusal.message,
      }),
    ]);
    expect(t.events).toEqual([
      {
        object: 'ReplicaSet/web',
        type: 'Warning',
        reason: 'FailedCreate',
        message: `Error creating: ${refusal.message}`,
      },
    ]);
    // Nothing is expected from creates that failed or never ran: the retry tries again.
    expect(t.controller.expectations.satisfied('ns/web')).toBe(true);
  });

  it('deletes the surplus, unscheduled and not-ready pods first', async () => {
    const owner = rs(2).obj();
    const pods = [
      ownedPod('ready-old', owner)
        .node('n1')
        .phase('Running')
        .ready()
        .creationTimestamp('2025-01-01T00:00:00Z')
        .obj(),
      ownedPod('ready-new', owner)
        .node('n2')
        .phase('Running')
        .ready()
        .creationTimestamp('2025-12-31T00:00:00Z')
        .obj(),
      ownedPod('pending', owner).node('n3').phase('Pending').obj(),
      ownedPod('unscheduled', owner).phase('Pending').obj(),
      ownedPod('not-ready', owner).node('n4').phase('Running').ready(false).obj(),
    ];
    const t = setup(owner, pods);
    await t.sync();
    const deleted = t.client
      .actions()
      .filter((a) => a.verb === 'delete')
      .map((a) => a.name);
    expect(deleted.sort()).toEqual(['not-ready', 'pending', 'unscheduled']);
    expect(t.controller.expectations.pending('ns/web')).toEqual({ adds: 0, deletes: 3 });
  });

  it('counts a gracefully deleted pod once, whether seen terminating or gone', async () => {
    const owner = rs(1).obj();
    const a = ownedPod('a', owner).node('n1').phase('Running').obj();
    const b = ownedPod('b', owner).node('n1').phase('Pending').obj();
    const t = setup(owner, [a, b]);
    await t.sync();
    expect(t.controller.expectations.pending('ns/web')).toEqual({ adds: 0, deletes: 1 });
    const other = ownedPod('not-asked', owner).obj();
    t.controller.onPodDelete(other);
    expect(t.controller.expectations.satisfied('ns/web')).toBe(false);
    const terminating = {
      ...b,
      metadata: { ...b.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '9' },
    };
    t.controller.onPodUpdate(b, terminating);
    t.controller.onPodDelete(terminating);
    expect(t.controller.expectations.pending('ns/web')).toEqual({ adds: 0, deletes: 0 });
  });

  it('adopts a matching orphan after re-reading the ReplicaSet, and releases a pod that no longer matches', async () => {
    const owner = rs(2).obj();
    const orphan = makePod()
      .name('orphan')
      .namespace('ns')
      .uid('uid-orphan')
      .labels({ app: 'web' })
      .obj();
    const stray = ownedPod('stray', owner).labels({ app: 'debug' }).obj();
    const t = setup(owner, [orphan, stray]);
    await t.sync();
    const actions = summary(t.client.actions());
    expect(actions.slice(0, 3)).toEqual([
      'get replicasets web',
      'patch pods orphan',
      'patch pods stray',
    ]);
    expect(t.client.actions()[1]).toMatchObject({
      patchType: 'strategic',
      patch: {
        metadata: {
          ownerReferences: [expect.objectContaining({ uid: 'rs-uid', controller: true })],
          uid: 'uid-orphan',
        },
      },
    });
    expect(t.client.actions()[2]?.patch).toEqual({
      metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-uid' }], uid: 'uid-stray' },
    });
    // The adopted orphan counts: one more pod is created for replicas 2, not two.
    expect(actions.filter((a) => a === 'create pods')).toHaveLength(1);
  });

  it('never adopts for a ReplicaSet that was replaced under the same name', async () => {
    const cached = rs(1).obj();
    const orphan = makePod().name('orphan').namespace('ns').labels({ app: 'web' }).obj();
    const t = setup(cached, [orphan]);
    t.client.prependReactor('get', 'replicasets', () => ({
      object: { ...cached, metadata: { ...cached.metadata, uid: 'someone-else' } },
    }));
    await t.sync();
    expect(t.client.actions().filter((a) => a.verb === 'patch')).toEqual([]);
  });

  it('writes no status when nothing changed', async () => {
    const owner = rs(1)
      .status({
        replicas: 1,
        fullyLabeledReplicas: 1,
        readyReplicas: 0,
        availableReplicas: 0,
        observedGeneration: 1,
      })
      .obj();
    const t = setup(owner, [ownedPod('a', owner).obj()]);
    await t.sync();
    expect(t.client.actions()).toEqual([]);
  });

  it('looks again after minReadySeconds while ready pods are not yet available', async () => {
    const owner = rs(1).spec({ minReadySeconds: 30 }).obj();
    const pod = ownedPod('a', owner)
      .condition('Ready', 'True', { lastTransitionTime: '2026-01-01T00:00:00Z' })
      .obj();
    const t = setup(owner, [pod]);
    expect(await t.sync()).toEqual({ requeueAfter: 30_000 });
  });

  it('forgets a deleted ReplicaSet', async () => {
    const f = unitFixture();
    const controller = new ReplicaSetController({
      ...f.context,
      client: f.client,
      pods: listerOf<Pod>([]),
      replicaSets: listerOf<ReplicaSet>([]),
      queue: f.queue,
    });
    expect(await controller.reconcile({ namespace: 'ns', name: 'gone' }, f.signal)).toEqual({});
    expect(f.client.actions()).toEqual([]);
  });
});

describe('ReplicaSet controller event handlers', () => {
  it('wakes the owner of a pod, or every ReplicaSet that would adopt an orphan', () => {
    const owner = rs(1).obj();
    const f = unitFixture();
    const other = makeReplicaSet()
      .name('other')
      .namespace('ns')
      .uid('other-uid')
      .selectorLabels({ app: 'web' })
      .obj();
    const controller = new ReplicaSetController({
      ...f.context,
      client: f.client,
      pods: listerOf<Pod>([]),
      replicaSets: listerOf([owner, other]),
      queue: f.queue,
    });
    controller.onPodAdd(ownedPod('a', owner).obj());
    expect(f.queued).toEqual(['ns/web']);
    f.queued.length = 0;
    controller.onPodAdd(makePod().name('orphan').namespace('ns').labels({ app: 'web' }).obj());
    expect(f.queued.sort()).toEqual(['ns/other', 'ns/web']);
  });

  it('schedules a look when a pod turns ready and minReadySeconds applies', () => {
    const owner = rs(1).spec({ minReadySeconds: 10 }).obj();
    const f = unitFixture();
    const controller = new ReplicaSetController({
      ...f.context,
      client: f.client,
      pods: listerOf<Pod>([]),
      replicaSets: listerOf([owner]),
      queue: f.queue,
    });
    const before = ownedPod('a', owner).resourceVersion('1').ready(false).obj();
    const after = ownedPod('a', owner).resourceVersion('2').ready().obj();
    controller.onPodUpdate(before, after);
    expect(f.queued).toEqual(['ns/web', 'ns/web after 10000ms']);
  });
});
