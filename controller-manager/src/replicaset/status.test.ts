import { makePod, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { calculateStatus, REPLICA_FAILURE, statusUpToDate } from './status.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number): string => new Date(now - s * 1000).toISOString();
const pod = (name: string) => makePod().name(name).namespace('ns').labels({ app: 'web' });

describe('ReplicaSet status', () => {
  it('counts replicas, fully labeled, ready and available pods', () => {
    const rs = makeReplicaSet().namespace('ns').spec({ minReadySeconds: 10 }).obj();
    const pods = [
      pod('ready-long')
        .condition('Ready', 'True', { lastTransitionTime: ago(60) })
        .obj(),
      pod('ready-just-now')
        .condition('Ready', 'True', { lastTransitionTime: ago(2) })
        .obj(),
      pod('not-ready').ready(false).obj(),
      // Selected by a wider selector but missing a template label: not fully labeled.
      makePod().name('partly').namespace('ns').labels({ other: 'x' }).obj(),
    ];
    expect(calculateStatus(rs, pods, undefined, now)).toEqual({
      replicas: 4,
      fullyLabeledReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 1,
    });
  });

  it('counts a ready pod available at once when minReadySeconds is 0', () => {
    const rs = makeReplicaSet().obj();
    const status = calculateStatus(rs, [pod('a').ready().obj()], undefined, now);
    expect(status.availableReplicas).toBe(1);
  });

  it('adds ReplicaFailure with the apiserver message when creating failed', () => {
    const rs = makeReplicaSet().obj();
    const message = 'pods "web-x" is forbidden: exceeded quota: compute';
    const status = calculateStatus(rs, [], { reason: 'FailedCreate', message }, now);
    expect(status.conditions).toEqual([
      {
        type: REPLICA_FAILURE,
        status: 'True',
        reason: 'FailedCreate',
        message,
        lastTransitionTime: '2026-01-01T12:00:00Z',
      },
    ]);
  });

  it('keeps a standing failure as it is and drops it once a sync succeeds', () => {
    const failing = {
      type: REPLICA_FAILURE,
      status: 'True' as const,
      reason: 'FailedCreate',
      message: 'first',
    };
    const rs = makeReplicaSet()
      .status({ replicas: 0, conditions: [failing] })
      .obj();
    const again = calculateStatus(rs, [], { reason: 'FailedCreate', message: 'second' }, now);
    expect(again.conditions).toEqual([failing]);
    expect(calculateStatus(rs, [], undefined, now).conditions).toBeUndefined();
  });

  it('is up to date only when every count and the observed generation match', () => {
    const rs = makeReplicaSet()
      .generation(3)
      .status({
        replicas: 1,
        fullyLabeledReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        observedGeneration: 3,
      })
      .obj();
    const same = calculateStatus(rs, [pod('a').ready().obj()], undefined, now);
    expect(statusUpToDate(rs, same)).toBe(true);
    expect(statusUpToDate(rs, { ...same, readyReplicas: 0 })).toBe(false);
    expect(statusUpToDate({ ...rs, metadata: { ...rs.metadata, generation: 4 } }, same)).toBe(
      false,
    );
  });
});
