import type { ReplicaSet } from '@skiff/api';
import { makeDeployment, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { rollingDeployment } from './testing/rolling-deployment.js';
import { maxScaledDown, newRSNewReplicas, scaleDownOld, unhealthyCleanup } from './rolling-plan.js';

const rs = (name: string, replicas: number, available: number, created = '2025-01-01T00:00:00Z') =>
  makeReplicaSet()
    .name(name)
    .replicas(replicas)
    .status({ replicas, availableReplicas: available })
    .creationTimestamp(created)
    .obj();

const rolling = (replicas: number, surge: number | string, unavailable: number | string) =>
  rollingDeployment(replicas, surge, unavailable).obj();

const steps = (list: { rs: ReplicaSet; size: number }[]) =>
  list.map(({ rs, size }) => `${rs.metadata.name ?? ''}→${size}`);

describe('the new ReplicaSet grows within maxSurge', () => {
  it.each([
    // desired, surge, old, new → new size
    [10, '25%', 10, 0, 3],
    [10, 1, 10, 0, 1],
    [10, 1, 9, 1, 2],
    [10, 1, 10, 1, 1], // 11 already: no room
    [3, 5, 0, 0, 3], // never above desired
  ] as const)('desired %d, surge %s, old %d, new %d → %d', (desired, surge, old, cur, want) => {
    const d = rolling(desired, surge, 0);
    const newRS = rs('new', cur, 0);
    expect(newRSNewReplicas(d, [rs('old', old, old), newRS], newRS)).toBe(want);
  });

  it('counts an old pod being removed until its ReplicaSet has seen it go', () => {
    const d = rolling(10, 1, 1);
    // The old ReplicaSet was asked for 9 but still has 10 pods: no room for a second new pod.
    const old = makeReplicaSet().name('old').replicas(9).status({ replicas: 10 }).obj();
    const newRS = rs('new', 1, 0);
    expect(newRSNewReplicas(d, [old, newRS], newRS)).toBe(1);
    // Once its status says 9, the new ReplicaSet may grow.
    const gone = makeReplicaSet().name('old').replicas(9).status({ replicas: 9 }).obj();
    expect(newRSNewReplicas(d, [gone, newRS], newRS)).toBe(2);
  });

  it('goes straight to desired for Recreate', () => {
    const d = makeDeployment().replicas(4).strategy({ type: 'Recreate' }).obj();
    expect(newRSNewReplicas(d, [], rs('new', 0, 0))).toBe(4);
  });
});

describe('old ReplicaSets shrink within maxUnavailable', () => {
  it('allows removing what is above minAvailable, less new pods not yet available', () => {
    const d = rolling(10, 3, 2);
    // 10 old + 3 new (1 available): 13 − 8 − 2 = 3.
    expect(maxScaledDown(d, [rs('old', 10, 10), rs('new', 3, 1)], rs('new', 3, 1))).toBe(3);
  });

  it('removes unhealthy pods first, oldest ReplicaSet first', () => {
    const older = rs('older', 3, 1, '2025-01-01T00:00:00Z');
    const newer = rs('newer', 4, 2, '2025-01-02T00:00:00Z');
    expect(steps(unhealthyCleanup([newer, older], 3))).toEqual(['older→1', 'newer→3']);
  });

  it('scales down available pods above the minimum, oldest first', () => {
    const d = rolling(10, 3, 2);
    const older = rs('older', 2, 2, '2025-01-01T00:00:00Z');
    const newer = rs('newer', 8, 8, '2025-01-02T00:00:00Z');
    const newRS = rs('new', 3, 3, '2025-01-03T00:00:00Z');
    // 13 available, 8 must stay: 5 go, 2 from the older and 3 from the newer.
    expect(steps(scaleDownOld(d, [older, newer, newRS], [newer, older]))).toEqual([
      'older→0',
      'newer→5',
    ]);
  });

  it('counts no more available pods than a shrinking ReplicaSet keeps', () => {
    const d = rolling(10, 3, 2);
    // Asked for 8, its status still from before the deletions: 10 available, 2 of them going.
    const old = makeReplicaSet().name('old').replicas(8).status({ availableReplicas: 10 }).obj();
    const newRS = rs('new', 5, 5);
    // 8 + 5 stay available, 8 must: 5 more may go, not 7.
    expect(steps(scaleDownOld(d, [old, newRS], [old]))).toEqual(['old→3']);
  });

  it('scales nothing down while only the minimum is available', () => {
    const d = rolling(10, 3, 2);
    expect(scaleDownOld(d, [rs('old', 8, 8), rs('new', 3, 0)], [rs('old', 8, 8)])).toEqual([]);
  });
});
