// Disk pressure, as the eviction manager meets it: node-level reclaim (dead containers, unused
// images) before any pod goes, minimum reclaim, and pods ranked by what they write to disk. A fake
// clock and a fake node whose free space the reclaim steps and evictions change.
import type { Pod } from '@skiff/api';
import { FakeClock, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { Observations } from './decide.js';
import { EvictionManager } from './eviction-manager.js';
import { signalToNodeReclaimFuncs } from './node-reclaim.js';
import { fsStatsToMeasure, podDiskUsage, rankForEviction, type PodUsage } from './rank.js';
import { parseThresholds } from './thresholds.js';

const Gi = 1024 ** 3;
const Mi = 1024 ** 2;

/** A 100 Gi node with `freeGi` free, where each reclaim step frees a fixed amount. */
function diskNode(options: {
  freeGi: number;
  containersFreeGi: number;
  imagesFreeGi: number;
  statements: Parameters<typeof parseThresholds>[0];
  dedicatedImageFs?: boolean;
}) {
  const clock = new FakeClock();
  let free = options.freeGi * Gi;
  const steps: string[] = [];
  const evicted: string[] = [];
  const events: string[] = [];
  const observations = (): Observations => ({
    'nodefs.available': { available: free, capacity: 100 * Gi },
    'imagefs.available': { available: free, capacity: 100 * Gi },
  });
  const pods = [
    makePod().name('quiet').uid('quiet').obj(),
    makePod().name('writer').uid('writer').obj(),
  ];
  const usage = new Map<string, PodUsage>([
    ['quiet', { containers: [{ name: 'app', logsBytes: 1 * Mi }], volumeBytes: 0 }],
    ['writer', { containers: [{ name: 'app', logsBytes: 2 * Mi }], volumeBytes: 3 * Gi }],
  ]);
  const dedicated = options.dedicatedImageFs ?? false;
  const reclaimFuncs = signalToNodeReclaimFuncs(
    {
      deleteAllUnusedContainers: () => {
        steps.push('containers');
        free += options.containersFreeGi * Gi;
        return Promise.resolve();
      },
      deleteUnusedImages: () => {
        steps.push('images');
        free += options.imagesFreeGi * Gi;
        return Promise.resolve();
      },
    },
    dedicated,
  );
  const manager = new EvictionManager({
    clock,
    thresholds: parseThresholds(options.statements),
    observe: () => Promise.resolve(observations()),
    podUsage: () => Promise.resolve(usage),
    nodeReclaimFuncs: (signal) => reclaimFuncs[signal] ?? [],
    dedicatedImageFs: () => dedicated,
    activePods: () => pods.filter((p) => !evicted.includes(p.metadata.name ?? '')),
    evict: (pod) => {
      evicted.push(pod.metadata.name ?? '');
      return Promise.resolve();
    },
    podCleanedUp: () => Promise.resolve(true),
    nodeEvent: (reason, message) => events.push(`${reason}: ${message}`),
    log: () => undefined,
  });
  return {
    clock,
    manager,
    steps,
    evicted,
    events,
    setFreeGi: (gi: number) => {
      free = gi * Gi;
    },
  };
}

describe('disk pressure', () => {
  const nodefs10 = { hard: { 'nodefs.available': '10%' } };

  it('deletes dead containers, then unused images, and evicts nobody once that is enough', async () => {
    const node = diskNode({
      freeGi: 8,
      containersFreeGi: 1,
      imagesFreeGi: 2,
      statements: nodefs10,
    });
    expect(await node.manager.synchronize()).toEqual([]);
    expect(node.steps).toEqual(['containers', 'images']);
    expect(node.evicted).toEqual([]);
    expect(node.events).toEqual(['EvictionThresholdMet: Attempting to reclaim ephemeral-storage']);
    // The threshold was met this round: the node reports DiskPressure until the transition ends.
    expect(node.manager.conditions()).toEqual(['DiskPressure']);
  });

  it('evicts the pod using the most disk when reclaiming is not enough', async () => {
    const node = diskNode({
      freeGi: 5,
      containersFreeGi: 1,
      imagesFreeGi: 1,
      statements: nodefs10,
    });
    const evicted = await node.manager.synchronize();
    expect(node.steps).toEqual(['containers', 'images']);
    // writer's 3 Gi emptyDir and 2 Mi of logs outrank quiet's 1 Mi of logs.
    expect(evicted.map((p) => p.metadata.name)).toEqual(['writer']);
  });

  it('with a minimum reclaim, recovering just past the threshold is not enough', async () => {
    const statements = { ...nodefs10, minimumReclaim: { 'nodefs.available': '5Gi' } };
    // 8 + 3 = 11 Gi free: above 10 Gi, below 10 + 5 Gi.
    const node = diskNode({ freeGi: 8, containersFreeGi: 1, imagesFreeGi: 2, statements });
    const evicted = await node.manager.synchronize();
    expect(evicted.map((p) => p.metadata.name)).toEqual(['writer']);
    // The next round: 11 Gi free is above the threshold, but the threshold acted on stays met
    // until 15 Gi are free, so the reclaim runs again (14 Gi: not enough) and evicts again.
    node.setFreeGi(11);
    node.steps.length = 0;
    await node.clock.advance(10_000);
    expect((await node.manager.synchronize()).map((p) => p.metadata.name)).toEqual(['quiet']);
    expect(node.steps).toEqual(['containers', 'images']);
    // Past 15 Gi: resolved, nothing more happens.
    node.setFreeGi(15);
    node.steps.length = 0;
    await node.clock.advance(10_000);
    expect(await node.manager.synchronize()).toEqual([]);
    expect(node.steps).toEqual([]);
  });

  it('with a dedicated image filesystem, nodefs pressure reclaims nothing node-level', async () => {
    const node = diskNode({
      freeGi: 8,
      containersFreeGi: 5,
      imagesFreeGi: 5,
      statements: nodefs10,
      dedicatedImageFs: true,
    });
    expect((await node.manager.synchronize()).map((p) => p.metadata.name)).toEqual(['writer']);
    expect(node.steps).toEqual([]);
  });

  it('reclaims for imagefs pressure on a dedicated image filesystem', async () => {
    const node = diskNode({
      freeGi: 10,
      containersFreeGi: 0,
      imagesFreeGi: 10,
      statements: { hard: { 'imagefs.available': '15%' } },
      dedicatedImageFs: true,
    });
    expect(await node.manager.synchronize()).toEqual([]);
    expect(node.steps).toEqual(['containers', 'images']);
  });
});

describe('ranking for disk pressure', () => {
  const pod = (name: string, requestGi?: number): Pod => {
    const builder = makePod().name(name).uid(name);
    return (
      requestGi === undefined
        ? builder
        : builder.requests({ 'ephemeral-storage': `${requestGi}Gi` })
    ).obj();
  };
  const usage: Record<string, PodUsage> = {
    // 4 Gi of writable layer, within its 5 Gi request.
    layered: { containers: [{ name: 'app', rootfsBytes: 4 * Gi, logsBytes: 0 }], volumeBytes: 0 },
    // 1 Gi of logs and 1 Gi of emptyDir, nothing requested.
    chatty: { containers: [{ name: 'app', rootfsBytes: 0, logsBytes: 1 * Gi }], volumeBytes: Gi },
    // Little of anything.
    tiny: { containers: [{ name: 'app', rootfsBytes: Mi, logsBytes: Mi }], volumeBytes: 0 },
  };
  const stats = (p: Readonly<Pod>) => usage[p.metadata.name ?? ''];
  const pods = [pod('layered', 5), pod('tiny'), pod('chatty')];
  const names = (ranked: readonly Readonly<Pod>[]) => ranked.map((p) => p.metadata.name);

  it.each([
    // One filesystem: everything counts; above-request pods first, then the largest above request.
    ['nodefs, shared', 'nodefs.available', false, ['chatty', 'tiny', 'layered']],
    // Dedicated imagefs: nodefs counts logs and volumes only.
    ['nodefs, dedicated', 'nodefs.available', true, ['chatty', 'tiny', 'layered']],
    // … and imagefs the writable layers only: chatty writes none (within its zero request, but
    // less below it than layered is below its 5 Gi).
    ['imagefs, dedicated', 'imagefs.available', true, ['tiny', 'chatty', 'layered']],
  ] as const)('%s', (_name, signal, dedicated, want) => {
    expect(names(rankForEviction(signal, pods, stats, dedicated))).toEqual(want);
  });

  it('counts what each signal measures', () => {
    const chatty = usage.chatty;
    if (chatty === undefined) throw new Error('fixture');
    expect(podDiskUsage(chatty, fsStatsToMeasure('nodefs.available', false), 'bytes')).toBe(2 * Gi);
    expect(podDiskUsage(chatty, fsStatsToMeasure('imagefs.available', true), 'bytes')).toBe(0);
  });
});
