import type { ReplicaSet } from '@skiff/api';
import { makeDeployment, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import {
  appendRevisionHistory,
  MAX_REV_HISTORY_LENGTH_IN_CHARS,
  REVISION_ANNOTATION,
  setNewReplicaSetAnnotations,
} from './annotations.js';

const limits = { desired: 3, maxReplicas: 4 };

describe('new ReplicaSet annotations', () => {
  it('copies the Deployment annotations except the skipped ones, and sets replicas for a new one', () => {
    const d = makeDeployment()
      .annotations({
        team: 'a',
        [REVISION_ANNOTATION]: '7',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      })
      .obj();
    const rs: ReplicaSet = makeReplicaSet().obj();
    expect(setNewReplicaSetAnnotations(d, rs, 2, false, limits)).toBe(true);
    expect(rs.metadata.annotations).toEqual({
      team: 'a',
      [REVISION_ANNOTATION]: '2',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('moves a rolled-back ReplicaSet revision into revision-history', () => {
    const rs = makeReplicaSet()
      .annotations({ [REVISION_ANNOTATION]: '3', 'deployment.kubernetes.io/revision-history': '1' })
      .obj();
    setNewReplicaSetAnnotations(makeDeployment().obj(), rs, 5, true, limits);
    expect(rs.metadata.annotations).toEqual({
      [REVISION_ANNOTATION]: '5',
      'deployment.kubernetes.io/revision-history': '1,3',
    });
  });

  it('never lowers a revision', () => {
    const rs = makeReplicaSet()
      .annotations({ [REVISION_ANNOTATION]: '9' })
      .obj();
    expect(setNewReplicaSetAnnotations(makeDeployment().obj(), rs, 4, true, limits)).toBe(false);
    expect(rs.metadata.annotations?.[REVISION_ANNOTATION]).toBe('9');
  });

  it('drops the oldest history entries beyond the length cap', () => {
    const long = Array.from({ length: 500 }, (_, i) => String(1000 + i)).join(',');
    const next = appendRevisionHistory(long, '9999');
    expect(next.length).toBeLessThanOrEqual(MAX_REV_HISTORY_LENGTH_IN_CHARS);
    expect(next.endsWith(',9999')).toBe(true);
    expect(next.startsWith('1000,')).toBe(false);
  });
});
