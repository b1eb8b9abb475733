import type { Node, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import type { Action } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, unitFixture } from '../testing/fixture.js';
import { GC_CHECK_PERIOD_MS, PodGCController, QUARANTINE_MS } from './pod-gc-controller.js';
import { terminatedPodsOverThreshold } from './pods-to-collect.js';

const pod = (name: string) => makePod().name(name).namespace('ns');

function setup(pods: Pod[], nodes: Node[], threshold = 12_500) {
  const f = unitFixture([...pods, ...nodes]);
  const controller = new PodGCController({
    ...f.context,
    client: f.client,
    pods: listerOf(pods),
    nodes: listerOf(nodes),
    queue: f.queue,
    terminatedPodThreshold: threshold,
  });
  const sync = () => controller.reconcile({ name: 'podgc' }, f.signal);
  return { ...f, sync };
}

const writes = (actions: Action[]) =>
  actions
    .filter((a) => a.verb !== 'get')
    .map((a) => `${a.verb} ${a.name ?? ''}${a.subresource ? `/${a.subresource}` : ''}`);

describe('pod garbage collector', () => {
  it('keeps at most the threshold of terminated pods, deleting the oldest', () => {
    const pods = [
      pod('new').phase('Succeeded').creationTimestamp('2026-01-03T00:00:00Z').obj(),
      pod('old').phase('Failed').creationTimestamp('2026-01-01T00:00:00Z').obj(),
      pod('mid').phase('Succeeded').creationTimestamp('2026-01-02T00:00:00Z').obj(),
      pod('running').phase('Running').creationTimestamp('2025-01-01T00:00:00Z').obj(),
    ];
    expect(terminatedPodsOverThreshold(pods, 1).map((p) => p.metadata.name)).toEqual([
      'old',
      'mid',
    ]);
    expect(terminatedPodsOverThreshold(pods, 0)).toEqual([]);
  });

  it('runs every 20 s and starts by enqueuing itself', async () => {
    const t = setup([], []);
    expect(t.queued).toEqual(['/podgc']);
    expect(await t.sync()).toEqual({ requeueAfter: GC_CHECK_PERIOD_MS });
  });

  it('force-deletes terminated pods over the threshold without touching their status', async () => {
    const t = setup(
      [
        pod('a').phase('Succeeded').creationTimestamp('2026-01-01T00:00:00Z').obj(),
        pod('b').phase('Succeeded').creationTimestamp('2026-01-02T00:00:00Z').obj(),
      ],
      [],
      1,
    );
    await t.sync();
    expect(writes(t.client.actions())).toEqual(['delete a']);
  });

  it('deletes the pods of a node only once it has been missing for the quarantine and the apiserver agrees', async () => {
    const orphan = pod('orphan').node('gone').phase('Running').obj();
    const kept = pod('kept').node('alive').phase('Running').obj();
    const t = setup([orphan, kept], [makeNode().name('alive').obj()]);
    await t.sync();
    expect(writes(t.client.actions())).toEqual([]);
    await t.clock.advance(QUARANTINE_MS);
    await t.sync();
    expect(writes(t.client.actions())).toEqual(['patch orphan/status', 'delete orphan']);
    const patch = t.client.actions().find((a) => a.verb === 'patch')?.patch;
    expect(patch).toMatchObject({
      status: {
        phase: 'Failed',
        conditions: [{ type: 'DisruptionTarget', reason: 'DeletionByPodGC' }],
      },
    });
  });

  it('spares the pods of a node the cache missed but the apiserver still has', async () => {
    const onLateNode = pod('p').node('late').phase('Running').obj();
    const t = setup([onLateNode], [makeNode().name('late').obj()]);
    // The node informer has not caught up: the cache knows no nodes at all.
    const controller = new PodGCController({
      ...t.context,
      client: t.client,
      pods: listerOf([onLateNode]),
      nodes: listerOf<Node>([]),
      queue: t.queue,
      terminatedPodThreshold: 0,
    });
    await controller.reconcile({ name: 'podgc' }, t.signal);
    await t.clock.advance(QUARANTINE_MS);
    await controller.reconcile({ name: 'podgc' }, t.signal);
    expect(writes(t.client.actions())).toEqual([]);
  });

  it('force-deletes unscheduled pods stuck terminating', async () => {
    const stuck = pod('stuck')
      .finalizers('example.com/hold')
      .deletionTimestamp('2026-01-01T00:00:00Z')
      .obj();
    const t = setup([stuck], []);
    await t.sync();
    expect(writes(t.client.actions())).toEqual(['patch stuck/status', 'delete stuck']);
  });
});
