// "A pending pod is scheduled within a second of a fitting node being added", on fake time: the
// whole scheduler (informers, queue, cache, framework, binding) on the fake client, where the
// clock moves only when the test says so. The pod must be bound by the node's add (or update)
// event itself — not by a backoff timer or the 60 s flush, which would need the clock to move.
import type { Node, Pod } from '@skiff/api';
import { FakeClock, makeNode, makePod } from '@skiff/api/testing';
import { createFakeClient, type FakeClient } from '@skiff/client/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createNode } from './testing/cluster.js';
import { startScheduler } from './testing/run-scheduler.js';

const smallNode = makeNode().name('small').capacity({ cpu: '1', memory: '4Gi', pods: '110' }).obj();
const bigPod = makePod().name('big').namespace('default').requests({ cpu: '2' }).obj();

/** Lets the event loop turn (no clock involved) until `done`; fails after many turns. */
async function turnsUntil(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (done()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

async function nodeNameOf(client: FakeClient, pod: Pod): Promise<string | undefined> {
  return (await client.pods('default').get(pod.metadata.name ?? '')).spec.nodeName;
}

const node = (name: string, cpu: string) =>
  makeNode().name(name).capacity({ cpu, memory: '4Gi', pods: '110' });

interface Case {
  readonly name: string;
  /** What the cluster gets while the pod is parked (a node registers, then writes its status). */
  readonly change: (client: FakeClient) => Promise<unknown>;
  /** Where the pod ends up; undefined: still pending, parked again. */
  readonly boundTo: string | undefined;
}

const cases: Case[] = [
  {
    name: 'a node with room is added',
    change: (client) => createNode(client, node('roomy', '4').obj()),
    boundTo: 'roomy',
  },
  {
    name: 'a cordoned node with room is added, then uncordoned',
    change: async (client) => {
      const cordoned = await createNode(client, node('later', '4').unschedulable().obj());
      const uncordoned: Node = { ...cordoned, spec: { ...cordoned.spec, unschedulable: false } };
      await client.nodes().update(uncordoned);
    },
    boundTo: 'later',
  },
  {
    // NodeResourcesFit's QueueingHint: a node the pod would not fit even empty is no reason to
    // try again, neither when it registers nor when it reports its allocatable.
    name: 'a node too small is added',
    change: (client) => createNode(client, node('tiny', '1').obj()),
    boundTo: undefined,
  },
];

async function unschedulableAttempts(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('scheduler_schedule_attempts_total')?.get();
  return metric?.values.find((v) => v.labels['result'] === 'unschedulable')?.value ?? 0;
}

describe('a parked pod and the cluster events that may help it (fake clock)', () => {
  it.each(cases)('$name: bound to $boundTo with no time passing', async ({ change, boundTo }) => {
    const clock = new FakeClock();
    const client = createFakeClient({ objects: [smallNode], clock });
    const metricsRegistry = new Registry();
    const scheduler = await startScheduler(client, { clock, metricsRegistry });
    await client.pods('default').create(bigPod);
    await turnsUntil(() => scheduler.queue.whereIs(bigPod) === 'unschedulable', 'the pod parked');
    const parkedAt = clock.now();

    await change(client);

    if (boundTo) {
      await turnsUntil(() => scheduler.cache.counts().pods === 1, 'the pod bound');
      await scheduler.flushBindings();
      expect(await nodeNameOf(client, bigPod)).toBe(boundTo);
    } else {
      // The scheduler has seen the node with its allocatable, and some turns more for anything
      // that would follow: the pod was not tried again, it is still parked after one attempt.
      const nodes = scheduler.informers.core.v1.nodes().lister();
      await turnsUntil(() => nodes.get('tiny')?.status?.allocatable !== undefined, 'the node');
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(scheduler.queue.whereIs(bigPod)).toBe('unschedulable');
      expect(await unschedulableAttempts(metricsRegistry)).toBe(1);
      expect(await nodeNameOf(client, bigPod)).toBeUndefined();
    }
    expect(clock.now()).toBe(parkedAt);
  });
});
