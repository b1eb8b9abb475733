import { describe, expect, it } from 'vitest';
import { decide, INITIAL_EVICTION_STATE, type EvictionState, type Observations } from './decide.js';
import { parseThresholds, thresholdKey } from './thresholds.js';

const Mi = 1024 * 1024;
const hardMemory = parseThresholds({ hard: { 'memory.available': '100Mi' } });
const softMemory = parseThresholds({
  hard: {},
  soft: { 'memory.available': '500Mi' },
  softGracePeriod: { 'memory.available': '30s' },
});
const memory = (availableMi: number): Observations => ({
  'memory.available': { available: availableMi * Mi, capacity: 4096 * Mi },
});
const TRANSITION = 5 * 60_000;

/** Runs decide over a sequence of (time, observations), returning each round's decision. */
function rounds(
  thresholds: Parameters<typeof decide>[1],
  steps: readonly [number, Observations][],
  transitionMs = TRANSITION,
) {
  let state: EvictionState = INITIAL_EVICTION_STATE;
  return steps.map(([now, observations]) => {
    const decision = decide(state, thresholds, observations, now, transitionMs);
    state = decision.state;
    return { conditions: decision.conditions, actOn: decision.actOn.map(thresholdKey) };
  });
}

describe('decide', () => {
  it('reports nothing while every signal is above its threshold', () => {
    expect(rounds(hardMemory, [[0, memory(200)]])).toEqual([{ conditions: [], actOn: [] }]);
  });

  it('acts on a hard threshold the moment it is met, with MemoryPressure', () => {
    expect(rounds(hardMemory, [[0, memory(99)]])).toEqual([
      { conditions: ['MemoryPressure'], actOn: ['memory.available<100Mi@0'] },
    ]);
  });

  it('a percentage threshold is measured against the capacity', () => {
    const nodefs = parseThresholds({ hard: { 'nodefs.available': '10%' } });
    const disk = (available: number): Observations => ({
      'nodefs.available': { available, capacity: 1000 },
    });
    expect(
      rounds(nodefs, [
        [0, disk(100)],
        [1, disk(99)],
      ]).map((r) => r.conditions),
    ).toEqual([[], ['DiskPressure']]);
  });

  it('a signal that was not observed meets no threshold', () => {
    expect(rounds(hardMemory, [[0, {}]])).toEqual([{ conditions: [], actOn: [] }]);
  });

  it('waits out a soft threshold’s grace period before acting, counting from when it was first met', () => {
    expect(
      rounds(softMemory, [
        [0, memory(400)],
        [29_999, memory(400)],
        [30_000, memory(400)],
      ]).map((r) => r.actOn),
    ).toEqual([[], [], ['memory.available<500Mi@30000']]);
  });

  it('restarts the grace period when the signal recovers in between', () => {
    expect(
      rounds(softMemory, [
        [0, memory(400)],
        [20_000, memory(600)],
        [30_000, memory(400)],
        [50_000, memory(400)],
        [60_000, memory(400)],
      ]).map((r) => r.actOn.length),
    ).toEqual([0, 0, 0, 0, 1]);
  });

  it('keeps the condition for the pressure transition period after the signal recovers', () => {
    expect(
      rounds(hardMemory, [
        [0, memory(50)],
        [10_000, memory(500)],
        [TRANSITION - 1, memory(500)],
        [TRANSITION, memory(500)],
      ]).map((r) => r.conditions),
    ).toEqual([['MemoryPressure'], ['MemoryPressure'], ['MemoryPressure'], []]);
  });

  it('with a zero transition period, reports a condition only while its threshold is met', () => {
    expect(
      rounds(
        hardMemory,
        [
          [0, memory(50)],
          [1, memory(500)],
        ],
        0,
      ).map((r) => r.conditions),
    ).toEqual([['MemoryPressure'], []]);
  });

  it('orders memory before the other starved signals', () => {
    const both = parseThresholds({ hard: { 'pid.available': '100', 'memory.available': '1Gi' } });
    const observations: Observations = {
      'pid.available': { available: 10, capacity: 1000 },
      'memory.available': { available: 1, capacity: 4096 * Mi },
    };
    expect(rounds(both, [[0, observations]])).toEqual([
      {
        conditions: ['PIDPressure', 'MemoryPressure'],
        actOn: ['memory.available<1Gi@0', 'pid.available<100@0'],
      },
    ]);
  });

  it('keeps a threshold met until its minimum reclaim is satisfied, then lets it go', () => {
    const withReclaim = parseThresholds({
      hard: { 'memory.available': '100Mi' },
      minimumReclaim: { 'memory.available': '50Mi' },
    });
    const key = 'memory.available<100Mi+50Mi@0';
    expect(
      rounds(withReclaim, [
        [0, memory(90)],
        // Above the threshold, but not by the minimum reclaim: still acted on.
        [10_000, memory(120)],
        [20_000, memory(149)],
        // 150Mi = 100Mi + 50Mi: resolved.
        [30_000, memory(150)],
        // Below 150Mi again, above 100Mi: not met afresh (the reclaim applies only once met).
        [40_000, memory(140)],
      ]).map((r) => r.actOn),
    ).toEqual([[key], [key], [key], [], []]);
  });
});
