import type { Pod } from '@skiff/api';
import { FakeClock, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { Observations } from './decide.js';
import { EvictionManager, isCriticalPod, type Eviction } from './eviction-manager.js';
import type { PodUsage } from './rank.js';
import { parseThresholds } from './thresholds.js';

const Mi = 1024 * 1024;

interface Harness {
  readonly clock: FakeClock;
  readonly manager: EvictionManager;
  readonly evicted: [string, Eviction][];
  readonly events: string[];
  /** Sets memory.available (MiB) for the next rounds. */
  available(mi: number): void;
  /** Marks a pod's containers as stopped. */
  cleanUp(name: string): void;
}

function harness(
  pods: Readonly<Pod>[],
  usageMi: Readonly<Record<string, number>>,
  statements: Parameters<typeof parseThresholds>[0] = { hard: { 'memory.available': '100Mi' } },
): Harness {
  const clock = new FakeClock();
  const evicted: [string, Eviction][] = [];
  const events: string[] = [];
  const cleaned = new Set<string>();
  let availableMi = 1000;
  const observations = (): Observations => ({
    'memory.available': { available: availableMi * Mi, capacity: 4096 * Mi },
  });
  const usage = new Map<string, PodUsage>(
    Object.entries(usageMi).map(([name, mi]) => [
      name,
      { containers: [{ name: 'app', memoryWorkingSetBytes: mi * Mi }] },
    ]),
  );
  const manager = new EvictionManager({
    clock,
    thresholds: parseThresholds(statements),
    pressureTransitionPeriodMs: 60_000,
    maxPodGracePeriodSeconds: 20,
    observe: () => Promise.resolve(observations()),
    podUsage: () => Promise.resolve(usage),
    activePods: () => pods.filter((p) => !evicted.some(([name]) => name === p.metadata.name)),
    evict: (pod, eviction) => {
      evicted.push([pod.metadata.name ?? '', eviction]);
      return Promise.resolve();
    },
    podCleanedUp: (pod) => Promise.resolve(cleaned.has(pod.metadata.name ?? '')),
    nodeEvent: (reason, message) => events.push(`${reason}: ${message}`),
    log: () => undefined,
  });
  return {
    clock,
    manager,
    evicted,
    events,
    available: (mi) => {
      availableMi = mi;
    },
    cleanUp: (name) => cleaned.add(name),
  };
}

const pod = (name: string, fields: { requestMi?: number; priority?: number } = {}) => {
  let builder = makePod().name(name).uid(name);
  if (fields.requestMi !== undefined) {
    builder = builder.requests({ memory: `${fields.requestMi}Mi` }).limits({ memory: '1Gi' });
  }
  if (fields.priority !== undefined) builder = builder.priority(fields.priority);
  return builder.obj();
};

describe('EvictionManager.synchronize', () => {
  it('does nothing while memory is above the threshold', async () => {
    const h = harness([pod('a')], { a: 10 });
    expect(await h.manager.synchronize()).toEqual([]);
    expect(h.manager.conditions()).toEqual([]);
    expect(h.evicted).toEqual([]);
  });

  it('under a hard threshold, evicts one pod — the first in rank — with 1 s grace and the message', async () => {
    const h = harness([pod('guaranteed', { requestMi: 500 }), pod('besteffort')], {
      guaranteed: 400,
      besteffort: 300,
    });
    h.available(50);
    const evicted = await h.manager.synchronize();
    expect(evicted.map((p) => p.metadata.name)).toEqual(['besteffort']);
    expect(h.manager.conditions()).toEqual(['MemoryPressure']);
    expect(h.evicted).toEqual([
      [
        'besteffort',
        {
          gracePeriodSeconds: 1,
          signal: 'memory.available',
          message:
            'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ' +
            'Container app was using 300Mi, request is 0, has larger consumption of memory. ',
          annotations: {
            offending_containers: 'app',
            offending_containers_usage: '300Mi',
            starved_resource: 'memory',
          },
        },
      ],
    ]);
    expect(h.events).toEqual(['EvictionThresholdMet: Attempting to reclaim memory']);
  });

  it('never evicts a critical pod (static, or system-critical priority)', async () => {
    const staticPod = makePod().name('etcd-node').uid('etcd').obj();
    staticPod.metadata.annotations = { 'kubernetes.io/config.source': 'file' };
    const h = harness([staticPod, pod('critical', { priority: 2_000_001_000 })], {
      etcd: 900,
      critical: 900,
    });
    h.available(10);
    expect(await h.manager.synchronize()).toEqual([]);
    expect(h.evicted).toEqual([]);
  });

  it('waits out a soft threshold’s grace period, then evicts with at most evictionMaxPodGracePeriod', async () => {
    const h = harness(
      [pod('a')],
      { a: 100 },
      {
        hard: {},
        soft: { 'memory.available': '500Mi' },
        softGracePeriod: { 'memory.available': '1m' },
      },
    );
    h.available(400);
    await h.manager.synchronize();
    expect(h.manager.conditions()).toEqual(['MemoryPressure']);
    expect(h.evicted).toEqual([]);
    await h.clock.advance(60_000);
    await h.manager.synchronize();
    expect(h.evicted.map(([name, e]) => [name, e.gracePeriodSeconds])).toEqual([['a', 20]]);
  });
});

describe('EvictionManager.run', () => {
  it('after an eviction, looks again only once the pod is cleaned up', async () => {
    const h = harness([pod('first'), pod('second', { requestMi: 10 })], {
      first: 300,
      second: 200,
    });
    h.available(50);
    const stop = new AbortController();
    const running = h.manager.run(stop.signal);
    await h.clock.waitForTimers();
    expect(h.evicted.map(([name]) => name)).toEqual(['first']);
    // Still waiting for `first` to stop: no second eviction, however long the pod takes (< 30 s).
    await h.clock.advance(5000);
    expect(h.evicted.map(([name]) => name)).toEqual(['first']);
    h.cleanUp('first');
    await h.clock.advance(1000);
    await h.clock.waitForTimers();
    expect(h.evicted.map(([name]) => name)).toEqual(['first', 'second']);
    stop.abort();
    await running;
  });

  it('tells when the pressure conditions change, so the node status is written', async () => {
    let changes = 0;
    const h = harness([], {});
    const manager = new EvictionManager({
      clock: h.clock,
      thresholds: parseThresholds({ hard: { 'memory.available': '100Mi' } }),
      pressureTransitionPeriodMs: 0,
      observe: () =>
        Promise.resolve({
          'memory.available': { available: changes === 0 ? 0 : 500 * Mi, capacity: Mi * 4096 },
        }),
      podUsage: () => Promise.resolve(new Map()),
      activePods: () => [],
      evict: () => Promise.resolve(),
      podCleanedUp: () => Promise.resolve(true),
      nodeEvent: () => undefined,
      onConditionsChanged: () => changes++,
      log: () => undefined,
    });
    await manager.synchronize();
    expect([changes, manager.conditions()]).toEqual([1, ['MemoryPressure']]);
    await h.clock.advance(10_000);
    await manager.synchronize();
    expect([changes, manager.conditions()]).toEqual([2, []]);
    await h.clock.advance(10_000);
    await manager.synchronize();
    expect(changes).toBe(2);
  });
});

describe('isCriticalPod', () => {
  it.each<[string, Pod, boolean]>([
    ['an API pod', pod('a'), false],
    ['a high but not critical priority', pod('b', { priority: 1_000_000_000 }), false],
    ['system-node-critical priority', pod('c', { priority: 2_000_001_000 }), true],
  ])('%s → %s', (_name, p, want) => {
    expect(isCriticalPod(p)).toBe(want);
  });
});
