import type { ReplicaSet } from '@skiff/api';
import { makeDeployment, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { MAX_REPLICAS_ANNOTATION } from './annotations.js';
import { proportionalScale } from './proportion.js';

const rs = (name: string, replicas: number, maxReplicas: number, created: string): ReplicaSet =>
  makeReplicaSet()
    .name(name)
    .replicas(replicas)
    .annotations({ [MAX_REPLICAS_ANNOTATION]: String(maxReplicas) })
    .creationTimestamp(created)
    .obj();

const deployment = (replicas: number, surge: number, unavailable: number) =>
  makeDeployment()
    .replicas(replicas)
    .strategy({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable },
    })
    .status({ replicas: 13 })
    .obj();

const sizes = (plan: ReturnType<typeof proportionalScale>): Record<string, number> =>
  Object.fromEntries(plan.sizes.map(({ rs, size }) => [rs.metadata.name ?? '', size]));

describe('proportional scaling mid-rollout', () => {
  it('shares added replicas by size: the documented 10 → 15 example (8 old, 5 new)', () => {
    // Kubernetes' docs: 10 replicas, maxSurge 3, old has 8 and new 5 when the Deployment goes
    // to 15; the 5 extra (18 allowed − 13) go 3 to the old and 2 to the new ReplicaSet.
    const plan = proportionalScale(deployment(15, 3, 2), [
      rs('old', 8, 13, '2025-01-01T00:00:00Z'),
      rs('new', 5, 13, '2025-01-02T00:00:00Z'),
    ]);
    expect(plan.operation).toBe('up');
    expect(sizes(plan)).toEqual({ old: 11, new: 7 });
  });

  it('takes removed replicas larger first, leftovers to the largest', () => {
    const plan = proportionalScale(deployment(5, 1, 0), [
      rs('old', 6, 11, '2025-01-01T00:00:00Z'),
      rs('new', 5, 11, '2025-01-02T00:00:00Z'),
    ]);
    expect(plan.operation).toBe('down');
    // 6 allowed of 11: old 6·6/11 ≈ 3 (−3), new 5·6/11 ≈ 3 (−2).
    expect(sizes(plan)).toEqual({ old: 3, new: 3 });
  });

  it('scales everything to zero with the Deployment', () => {
    const plan = proportionalScale(deployment(0, 1, 0), [
      rs('old', 2, 4, '2025-01-01T00:00:00Z'),
      rs('new', 2, 4, '2025-01-02T00:00:00Z'),
    ]);
    expect(sizes(plan)).toEqual({ old: 0, new: 0 });
  });

  it('changes nothing when the total is already what is allowed', () => {
    const plan = proportionalScale(deployment(10, 3, 2), [
      rs('old', 8, 13, '2025-01-01T00:00:00Z'),
      rs('new', 5, 13, '2025-01-02T00:00:00Z'),
    ]);
    expect(plan.operation).toBe('');
    expect(sizes(plan)).toEqual({ old: 8, new: 5 });
  });
});
