import type { Deployment, DeploymentStatus, ReplicaSet } from '@skiff/api';
import { makeDeployment, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../meta/time.js';
import { newCondition, setCondition } from './conditions.js';
import { calculateStatus, rolloutStatus, stuckRequeueAfter } from './status.js';

const now = Date.UTC(2026, 0, 1, 12);
const rs = (name: string, spec: number, replicas: number, ready: number, available: number) =>
  makeReplicaSet()
    .name(name)
    .replicas(spec)
    .status({ replicas, readyReplicas: ready, availableReplicas: available })
    .obj();

const deployment = (status: DeploymentStatus = {}): Deployment =>
  makeDeployment()
    .name('web')
    .generation(2)
    .replicas(4)
    .strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } })
    .spec({ progressDeadlineSeconds: 600 })
    .status(status)
    .obj();

describe('Deployment status', () => {
  it('counts replicas from status, updated from the new ReplicaSet, unavailable from spec', () => {
    const newRS = rs('new', 2, 2, 1, 1);
    const status = calculateStatus([rs('old', 3, 3, 3, 3), newRS], newRS, deployment(), now);
    expect(status).toMatchObject({
      observedGeneration: 2,
      replicas: 5,
      updatedReplicas: 2,
      readyReplicas: 4,
      availableReplicas: 4,
      unavailableReplicas: 1,
    });
  });

  it.each([
    [3, 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
    [2, 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
  ] as const)(
    'with %d available of 4 (maxUnavailable 1) Available is %s',
    (available, s, reason, message) => {
      const only = rs('only', 4, 4, available, available);
      const status = calculateStatus([only], only, deployment(), now);
      expect(status.conditions).toEqual([
        {
          type: 'Available',
          status: s,
          reason,
          message,
          lastUpdateTime: rfc3339(now),
          lastTransitionTime: rfc3339(now),
        },
      ]);
    },
  );

  const progressing = (reason: string, at: number): DeploymentStatus => {
    const status: DeploymentStatus = {
      observedGeneration: 2,
      replicas: 4,
      updatedReplicas: 1,
      availableReplicas: 3,
    };
    setCondition(status, newCondition('Progressing', 'True', reason, 'x', at));
    return status;
  };

  it('Progressing: NewReplicaSetAvailable once complete', () => {
    const newRS = rs('web-abc', 4, 4, 4, 4);
    const status = rolloutStatus(
      [newRS],
      newRS,
      deployment(progressing('ReplicaSetUpdated', now - 1000)),
      now,
    );
    expect(status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "web-abc" has successfully progressed.',
    });
  });

  it('Progressing: progress refreshes lastUpdateTime and keeps lastTransitionTime', () => {
    const newRS = rs('web-abc', 2, 2, 1, 1);
    const before = now - 5000;
    const status = rolloutStatus(
      [rs('old', 3, 3, 3, 3), newRS],
      newRS,
      deployment(progressing('ReplicaSetUpdated', before)),
      now,
    );
    expect(status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      reason: 'ReplicaSetUpdated',
      message: 'ReplicaSet "web-abc" is progressing.',
      lastUpdateTime: rfc3339(now),
      lastTransitionTime: rfc3339(before),
    });
  });

  it.each([
    [599_000, 'ReplicaSetUpdated'],
    [601_000, 'ProgressDeadlineExceeded'],
  ])('Progressing: no progress for %d ms → %s', (ago, reason) => {
    const newRS = rs('web-abc', 1, 1, 0, 0);
    const old: ReplicaSet = rs('old', 3, 3, 3, 3);
    const d = deployment({
      ...progressing('ReplicaSetUpdated', now - ago),
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
    });
    const status = rolloutStatus([old, newRS], newRS, d, now);
    expect(status.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(reason);
  });

  it('requeues a stuck rollout for when its deadline passes', () => {
    const d = deployment(progressing('ReplicaSetUpdated', now - 100_000));
    expect(stuckRequeueAfter(d, d.status ?? {}, now)).toBe(501_000);
    expect(stuckRequeueAfter(d, d.status ?? {}, now + 500_000)).toBe(0);
  });

  it('carries a ReplicaSet ReplicaFailure over, and removes it when it clears', () => {
    const failing = makeReplicaSet()
      .name('web-abc')
      .replicas(2)
      .status({
        replicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message: 'quota',
            lastTransitionTime: rfc3339(now),
          },
        ],
      })
      .obj();
    const status = rolloutStatus([failing], failing, deployment(), now);
    expect(status.conditions?.find((c) => c.type === 'ReplicaFailure')).toMatchObject({
      reason: 'FailedCreate',
      message: 'quota',
    });
    const healed = rs('web-abc', 2, 2, 0, 0);
    const after = rolloutStatus([healed], healed, deployment(status), now);
    expect(after.conditions?.some((c) => c.type === 'ReplicaFailure')).toBe(false);
  });
});

describe('setCondition', () => {
  it('leaves a condition with the same status and reason untouched, times included', () => {
    const status: DeploymentStatus = {};
    setCondition(status, newCondition('Available', 'True', 'A', 'one', now));
    setCondition(status, newCondition('Available', 'True', 'A', 'two', now + 1000));
    expect(status.conditions?.[0]).toMatchObject({ message: 'one', lastUpdateTime: rfc3339(now) });
  });

  it('keeps lastTransitionTime when only the reason changes', () => {
    const status: DeploymentStatus = {};
    setCondition(status, newCondition('Progressing', 'True', 'A', 'one', now));
    setCondition(status, newCondition('Progressing', 'True', 'B', 'two', now + 1000));
    expect(status.conditions?.[0]).toMatchObject({
      reason: 'B',
      lastUpdateTime: rfc3339(now + 1000),
      lastTransitionTime: rfc3339(now),
    });
  });
});
