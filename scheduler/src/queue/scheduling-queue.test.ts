import type { Pod } from '@skiff/api';
import { FakeClock, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import {
  ActionType,
  AssignedPodDelete,
  NodeAdd,
  type ClusterEvent,
  type QueuedPodInfo,
} from '../framework/index.js';
import { SchedulingQueue } from './scheduling-queue.js';

const nodeLabelChange: ClusterEvent = {
  resource: 'Node',
  action: ActionType.UpdateNodeLabel,
  label: 'NodeLabelChange',
};

function setup(options: { initial?: number; max?: number } = {}) {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({
    clock,
    less: (a: QueuedPodInfo, b: QueuedPodInfo) =>
      (a.pod.spec.priority ?? 0) !== (b.pod.spec.priority ?? 0)
        ? (a.pod.spec.priority ?? 0) > (b.pod.spec.priority ?? 0)
        : a.timestamp < b.timestamp,
    eventsToRegister: new Map([
      ['NodeResourcesFit', [NodeAdd, AssignedPodDelete]],
      ['NodeAffinity', [{ ...NodeAdd, action: ActionType.Add | ActionType.UpdateNodeLabel }]],
    ]),
    ...(options.initial !== undefined && { podInitialBackoffMs: options.initial }),
    ...(options.max !== undefined && { podMaxBackoffMs: options.max }),
  });
  return { clock, queue };
}

/** Pops the pod and fails it, rejected by `plugins` (none: an error). */
async function failAttempt(queue: SchedulingQueue, ...plugins: string[]): Promise<QueuedPodInfo> {
  const info = await queue.pop();
  if (!info) throw new Error('queue closed');
  info.unschedulablePlugins = new Set(plugins);
  queue.addUnschedulable(info);
  return info;
}

const pod = (name: string, priority = 0): Pod =>
  makePod().name(name).namespace('ns').priority(priority).obj();

/** Pops without letting the clock move: undefined if pop would have to wait. */
async function popNow(queue: SchedulingQueue): Promise<QueuedPodInfo | undefined> {
  let popped: QueuedPodInfo | undefined;
  void queue.pop().then((info) => (popped = info));
  await new Promise((resolve) => setImmediate(resolve));
  return popped;
}

/**
 * Leaves `name` parked by NodeResourcesFit after `attempts` attempts, each ended by a node add
 * that moved it back (so its backoff has grown to what that many attempts earn).
 */
async function parkAfterAttempts(queue: SchedulingQueue, name: string, attempts: number) {
  queue.add(pod(name));
  for (let i = 1; i <= attempts; i++) {
    const info = await popNow(queue);
    if (!info) throw new Error(`attempt ${i}: nothing to pop`);
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(info);
    if (i < attempts) queue.moveAllToActiveOrBackoffQueue(NodeAdd);
  }
  expect(queue.whereIs(pod(name))).toBe('unschedulable');
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by the time the pod was queued', async () => {
    const { clock, queue } = setup();
    queue.add(pod('low-early', 0));
    await clock.advance(1);
    queue.add(pod('high', 10));
    await clock.advance(1);
    queue.add(pod('low-late', 0));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await queue.pop())?.pod.metadata.name);
    expect(order).toEqual(['high', 'low-early', 'low-late']);
  });

  it('backs off a pod that failed with an error 1 s, 2 s, 4 s, 8 s, then 10 s, to the millisecond', async () => {
    const { clock, queue } = setup();
    queue.add(pod('a'));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      await failAttempt(queue);
      expect(queue.whereIs(pod('a'))).toBe('backoff');
      const failedAt = clock.now();
      // One millisecond before the end it is still backing off; at the end it is active.
      const expected = Math.min(1000 * 2 ** (attempt - 1), 10_000);
      await clock.advance(expected - 1);
      expect(queue.whereIs(pod('a'))).toBe('backoff');
      await clock.advance(1);
      expect(queue.whereIs(pod('a'))).toBe('active');
      waits.push(clock.now() - failedAt);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('takes the initial and maximum backoff from its options', async () => {
    const { clock, queue } = setup({ initial: 3000, max: 5000 });
    queue.add(pod('a'));
    await failAttempt(queue);
    await clock.advance(2999);
    expect(queue.whereIs(pod('a'))).toBe('backoff');
    await clock.advance(1);
    await failAttempt(queue);
    await clock.advance(4999);
    expect(queue.whereIs(pod('a'))).toBe('backoff');
    await clock.advance(1);
    expect(queue.whereIs(pod('a'))).toBe('active');
  });

  it('parks an unschedulable pod until an event one of its rejecting plugins registered for', async () => {
    const { clock, queue } = setup();
    queue.add(pod('a'));
    await failAttempt(queue, 'NodeAffinity');
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
    await clock.advance(5000);
    // A deleted pod frees resources, which does not help a pod that no node's labels matched.
    queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete);
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
    queue.moveAllToActiveOrBackoffQueue(nodeLabelChange);
    expect(queue.whereIs(pod('a'))).toBe('active');
  });

  it('moves a parked pod whose backoff has not ended to the backoff queue', async () => {
    const { clock, queue } = setup();
    queue.add(pod('a'));
    await failAttempt(queue, 'NodeResourcesFit');
    await clock.advance(400);
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    expect(queue.whereIs(pod('a'))).toBe('backoff');
    await clock.advance(600);
    expect(queue.whereIs(pod('a'))).toBe('active');
  });

  it('backs off instead of parking when a helpful event came while the pod was in flight', async () => {
    const { queue } = setup();
    queue.add(pod('a'));
    const info = await queue.pop();
    if (!info) throw new Error('no pod');
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(info);
    expect(queue.whereIs(pod('a'))).toBe('backoff');
  });

  it('parks the pod when the event that came in flight cannot help it', async () => {
    const { queue } = setup();
    queue.add(pod('a'));
    const info = await queue.pop();
    if (!info) throw new Error('no pod');
    queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete);
    info.unschedulablePlugins = new Set(['NodeAffinity']);
    queue.addUnschedulable(info);
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
  });

  it('flushes pods parked longer than 60 s on the 30 s tick after', async () => {
    const { clock, queue } = setup();
    queue.run();
    queue.add(pod('a'));
    await failAttempt(queue, 'NodeAffinity');
    await clock.advance(60_000);
    // Parked exactly 60 s at the 60 s tick: not longer, stays.
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
    await clock.advance(30_000);
    expect(queue.whereIs(pod('a'))).toBe('active');
    queue.close();
  });

  it('re-queues a parked pod when its spec changes, not when only its status does', async () => {
    const { queue } = setup();
    const original = pod('a');
    queue.add(original);
    await failAttempt(queue, 'NodeAffinity');
    const statusOnly: Pod = {
      ...original,
      metadata: { ...original.metadata, resourceVersion: '7' },
      status: { conditions: [{ type: 'PodScheduled', status: 'False' }] },
    };
    queue.update(original, statusOnly);
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
    const relaxed: Pod = { ...statusOnly, spec: { ...statusOnly.spec, nodeSelector: {} } };
    queue.update(statusOnly, relaxed);
    expect(queue.whereIs(pod('a'))).toBe('backoff');
  });

  it('forgets a deleted pod wherever it waits', async () => {
    const { queue } = setup();
    queue.add(pod('a'));
    await failAttempt(queue, 'NodeAffinity');
    queue.delete(pod('a'));
    expect(queue.pendingPods()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it('wakes a waiting pop when a pod arrives, and resolves undefined once closed', async () => {
    const { queue } = setup();
    const popped = queue.pop();
    queue.add(pod('a'));
    expect((await popped)?.pod.metadata.name).toBe('a');
    const waiting = queue.pop();
    queue.close();
    expect(await waiting).toBeUndefined();
  });
});

describe('SchedulingQueue, a registered event with a QueueingHint', () => {
  const hinted = (hint: ClusterEvent['queueingHint']) => {
    const clock = new FakeClock();
    const queue = new SchedulingQueue({
      clock,
      less: (a, b) => a.timestamp < b.timestamp,
      eventsToRegister: new Map([['NodeResourcesFit', [{ ...NodeAdd, queueingHint: hint }]]]),
    });
    return queue;
  };
  const roomy = { metadata: { name: 'roomy' } };

  it.each<[string, ClusterEvent['queueingHint'], { newObj?: unknown } | undefined, string]>([
    ['moves the pod when the hint says Queue', () => 'Queue', { newObj: roomy }, 'active'],
    [
      'leaves it parked when the hint says QueueSkip',
      () => 'QueueSkip',
      { newObj: roomy },
      'unschedulable',
    ],
    [
      'moves it when the hint throws',
      () => {
        throw new Error('cannot tell');
      },
      { newObj: roomy },
      'active',
    ],
    ['moves it when the event carries no objects to judge', () => 'QueueSkip', undefined, 'active'],
  ])('%s', async (_what, hint, change, where) => {
    const queue = hinted(hint);
    queue.add(pod('a'));
    await failAttempt(queue, 'NodeResourcesFit');
    queue.moveAllToActiveOrBackoffQueue(NodeAdd, change);
    // The attempt failed at time 0 and no time passed: Queue lands in backoffQ, which an idle
    // pop takes at once.
    const popped = await popNow(queue);
    expect(popped ? 'active' : queue.whereIs(pod('a'))).toBe(where);
  });

  it('judges an event that came while the pod was in flight by the same hint', async () => {
    const queue = hinted((_pod, _old, newObj) => (newObj === roomy ? 'Queue' : 'QueueSkip'));
    queue.add(pod('a'));
    const info = await popNow(queue);
    if (!info) throw new Error('nothing to pop');
    queue.moveAllToActiveOrBackoffQueue(NodeAdd, { newObj: { metadata: { name: 'tiny' } } });
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(info);
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
  });
});

describe('SchedulingQueue, events that arrive while several pods are in flight', () => {
  it('count for every pod popped before them, however the others end, and for none popped after', async () => {
    const { queue } = setup();
    for (const name of ['a', 'b', 'c']) queue.add(pod(name));
    const a = await popNow(queue);
    const b = await popNow(queue);
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    const c = await popNow(queue);
    if (!a || !b || !c) throw new Error('nothing to pop');
    // a is bound: done, while b (popped before the event) and c (after it) are still in flight.
    queue.done(a.pod);
    for (const info of [b, c]) {
      info.unschedulablePlugins = new Set(['NodeResourcesFit']);
      queue.addUnschedulable(info);
    }
    expect(queue.whereIs(b.pod)).toBe('backoff');
    expect(queue.whereIs(c.pod)).toBe('unschedulable');
  });
});

describe('SchedulingQueue, a pod updated while it is being scheduled', () => {
  it('is backed off instead of parked when its attempt fails', async () => {
    const { queue } = setup();
    const original = pod('a');
    queue.add(original);
    const info = await queue.pop();
    if (!info) throw new Error('no pod');
    queue.update(original, {
      ...original,
      spec: { ...original.spec, nodeSelector: { zone: 'b' } },
    });
    info.unschedulablePlugins = new Set(['NodeAffinity']);
    queue.addUnschedulable(info);
    expect(queue.whereIs(original)).toBe('backoff');
  });
});

describe('SchedulingQueue, a parked pod when a node that may fit it is added', () => {
  it.each([
    [1, 0],
    [1, 999],
    [3, 500],
    // Backoff has grown to 10 s: an idle scheduler still does not wait it out.
    [6, 0],
  ])(
    'is popped at once when nothing else waits (after %i attempts, node added %i ms later)',
    async (attempts, addedAfterMs) => {
      const { clock, queue } = setup();
      await parkAfterAttempts(queue, 'a', attempts);
      await clock.advance(addedAfterMs);
      queue.moveAllToActiveOrBackoffQueue(NodeAdd);
      const before = clock.now();
      expect((await popNow(queue))?.pod.metadata.name).toBe('a');
      expect(clock.now()).toBe(before);
    },
  );

  it.each([
    // [node added this many ms after the failure, the pod is active this many ms after the add]
    [0, 1000],
    [400, 600],
    [999, 1],
    [1000, 0],
    [5000, 0],
  ])(
    'is active within 1 s behind other pods (node added %i ms after the failure: active %i ms later)',
    async (addedAfterMs, activeAfterMs) => {
      const { clock, queue } = setup();
      await parkAfterAttempts(queue, 'a', 1);
      queue.add(pod('busy', 10));
      await clock.advance(addedAfterMs);
      queue.moveAllToActiveOrBackoffQueue(NodeAdd);
      if (activeAfterMs > 0) {
        await clock.advance(activeAfterMs - 1);
        expect(queue.whereIs(pod('a'))).toBe('backoff');
        await clock.advance(1);
      }
      expect(queue.whereIs(pod('a'))).toBe('active');
    },
  );

  it('stays parked when no plugin that rejected it registered for node adds', async () => {
    const { clock, queue } = setup();
    queue.add(pod('a'));
    await failAttempt(queue, 'NodeUnschedulable');
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    await clock.advance(59_000);
    expect(queue.whereIs(pod('a'))).toBe('unschedulable');
    expect(await popNow(queue)).toBeUndefined();
  });

  it('never pops early a pod whose attempt failed with an error, so errors are not retried in a loop', async () => {
    const { clock, queue } = setup();
    queue.add(pod('a'));
    await failAttempt(queue);
    queue.moveAllToActiveOrBackoffQueue(NodeAdd);
    let popped: string | undefined;
    void queue.pop().then((info) => (popped = info?.pod.metadata.name));
    await clock.advance(999);
    expect(popped).toBeUndefined();
    await clock.advance(1);
    expect(popped).toBe('a');
  });
});
