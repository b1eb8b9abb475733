import type { Taint, Toleration } from '@skiff/api';
import { makeNode } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import {
  evictionTime,
  noExecuteTaint,
  noScheduleTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  withOwnedTaints,
} from './taints.js';
import { allFullyDisrupted, evictionRate, zoneHealth } from './zones.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const unreachable: Taint = {
  key: TAINT_UNREACHABLE,
  effect: 'NoExecute',
  timeAdded: '2026-01-01T00:00:00Z',
};

describe('taints from conditions', () => {
  it.each([
    ['True', [], undefined],
    ['False', [TAINT_NOT_READY], TAINT_NOT_READY],
    ['Unknown', [TAINT_UNREACHABLE], TAINT_UNREACHABLE],
  ] as const)('Ready=%s gives NoSchedule %j and NoExecute %s', (status, noSchedule, noExecute) => {
    const node = makeNode().name('n').condition('Ready', status).obj();
    expect(noScheduleTaints(node)).toEqual(noSchedule);
    expect(noExecuteTaint(node)).toBe(noExecute);
  });

  it('taints memory pressure and unschedulable nodes NoSchedule', () => {
    const node = makeNode()
      .name('n')
      .condition('Ready', 'True')
      .condition('MemoryPressure', 'True')
      .spec({ unschedulable: true })
      .obj();
    expect(noScheduleTaints(node)).toEqual([
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/unschedulable',
    ]);
  });

  it("replaces only its own taints and keeps a NoExecute taint's timeAdded", () => {
    const mine = { key: 'example.com/dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const next = withOwnedTaints(
      [mine, unreachable, { key: TAINT_NOT_READY, effect: 'NoSchedule' }],
      [TAINT_UNREACHABLE],
      TAINT_UNREACHABLE,
      'later',
    );
    expect(next).toEqual([mine, unreachable, { key: TAINT_UNREACHABLE, effect: 'NoSchedule' }]);
    expect(withOwnedTaints(next, [], undefined, 'later')).toEqual([mine]);
  });
});

describe('taint eviction time', () => {
  const tolerate = (seconds?: number): Toleration => ({
    key: TAINT_UNREACHABLE,
    operator: 'Exists',
    effect: 'NoExecute',
    ...(seconds !== undefined && { tolerationSeconds: seconds }),
  });
  it.each([
    ['no toleration: now', [], now],
    ['tolerated 300 s: 300 s after the taint', [tolerate(300)], Date.parse('2026-01-01T00:05:00Z')],
    ['tolerated forever: never', [tolerate()], 'never'],
    ['the shortest of two', [tolerate(900), tolerate(60)], Date.parse('2026-01-01T00:01:00Z')],
    [
      'everything tolerated by an empty key with Exists',
      [{ operator: 'Exists' as const }],
      'never',
    ],
  ])('%s', (_what, tolerations, expected) => {
    expect(evictionTime([unreachable], tolerations, now)).toBe(expected);
  });

  it('ignores NoSchedule taints', () => {
    expect(evictionTime([{ key: TAINT_UNREACHABLE, effect: 'NoSchedule' }], [], now)).toBe('never');
  });
});

describe('zones', () => {
  const node = (name: string, zone: string, ready: boolean) =>
    makeNode()
      .name(name)
      .labels({ 'topology.kubernetes.io/zone': zone })
      .condition('Ready', ready ? 'True' : 'Unknown')
      .obj();
  const rates = {
    nodeEvictionRate: 0.1,
    secondaryNodeEvictionRate: 0.01,
    largeClusterSizeThreshold: 50,
  };

  it('tells normal, partially and fully disrupted zones apart', () => {
    const health = zoneHealth(
      [
        node('a1', 'a', true),
        node('a2', 'a', false),
        node('b1', 'b', false),
        node('b2', 'b', false),
        node('b3', 'b', false),
        node('b4', 'b', true),
        node('c1', 'c', false),
      ],
      0.55,
    );
    expect([...health].map(([z, h]) => [z, h.state])).toEqual([
      ['a', 'Normal'],
      ['b', 'PartialDisruption'],
      ['c', 'FullDisruption'],
    ]);
    expect(evictionRate(health.get('a') ?? { state: 'Normal', size: 0, notReady: 0 }, rates)).toBe(
      0.1,
    );
    // A small partially disrupted zone stops evicting altogether.
    expect(evictionRate(health.get('b') ?? { state: 'Normal', size: 0, notReady: 0 }, rates)).toBe(
      0,
    );
    expect(allFullyDisrupted(health)).toBe(false);
  });

  it('calls it a partition of the control plane when every zone is fully disrupted', () => {
    expect(
      allFullyDisrupted(zoneHealth([node('a', 'a', false), node('b', 'b', false)], 0.55)),
    ).toBe(true);
  });
});
