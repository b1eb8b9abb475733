// The annotations a Deployment and its ReplicaSets carry (Kubernetes' deploymentutil): the
// revision of each rollout (`kubectl rollout history` reads it), the revisions a ReplicaSet has
// been rolled back from, and the desired/max replicas it was last scaled for, which tell a
// scaling event apart from a rollout and drive proportional scaling.
import type { Deployment, ReplicaSet } from '@skiff/api';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** Kubernetes caps the revision-history annotation at this many characters. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/** Deployment annotations never copied to its ReplicaSets (nor back by a rollback). */
const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** The ReplicaSet's revision; 0 when it has none or it does not parse (Kubernetes logs it). */
export function revisionOf(rs: Readonly<ReplicaSet>): number {
  const value = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (value === undefined || !/^\d+$/.test(value)) return 0;
  return Number(value);
}

export function maxRevision(replicaSets: readonly Readonly<ReplicaSet>[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

function intAnnotation(rs: Readonly<ReplicaSet>, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

export const desiredReplicasAnnotation = (rs: Readonly<ReplicaSet>): number | undefined =>
  intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const maxReplicasAnnotation = (rs: Readonly<ReplicaSet>): number | undefined =>
  intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

export function replicasAnnotationsNeedUpdate(
  rs: Readonly<ReplicaSet>,
  desired: number,
  max: number,
): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return (
    annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) ||
    annotations[MAX_REPLICAS_ANNOTATION] !== String(max)
  );
}

/** Sets desired-replicas and max-replicas on `rs` (a copy being prepared); true if changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  rs.metadata.annotations = {
    ...rs.metadata.annotations,
    [DESIRED_REPLICAS_ANNOTATION]: String(desired),
    [MAX_REPLICAS_ANNOTATION]: String(max),
  };
  return true;
}

/**
 * Kubernetes' SetNewReplicaSetAnnotations on `rs` (a copy being prepared): the Deployment's own
 * annotations copied over, the revision raised to `newRevision` when it is lower (a rollback to
 * this ReplicaSet moves its old revision into revision-history), and for a ReplicaSet about to
 * be created the desired/max replicas. True when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Readonly<Deployment>,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  max: { readonly desired: number; readonly maxReplicas: number },
): boolean {
  const annotations = { ...rs.metadata.annotations };
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (annotationsToSkip.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldRevision = annotations[REVISION_ANNOTATION];
  if (oldRevision !== undefined && oldRevision !== '' && !/^\d+$/.test(oldRevision)) {
    // Not a number: Kubernetes leaves such a ReplicaSet's revision alone.
    rs.metadata.annotations = annotations;
    return changed;
  }
  const oldRevisionInt = oldRevision ? Number(oldRevision) : 0;
  if (oldRevisionInt < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      annotations[REVISION_HISTORY_ANNOTATION] = appendRevisionHistory(
        annotations[REVISION_HISTORY_ANNOTATION] ?? '',
        oldRevision,
      );
    }
  }
  rs.metadata.annotations = annotations;
  if (!exists && setReplicasAnnotations(rs, max.desired, max.maxReplicas)) changed = true;
  return changed;
}

/** `history` with `revision` appended, dropping the oldest entries beyond the length cap. */
export function appendRevisionHistory(history: string, revision: string): string {
  if (history === '') return revision;
  const revisions = history.split(',');
  let total = history.length + revision.length + 1;
  let start = 0;
  while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < revisions.length) {
    total -= (revisions[start] ?? '').length + 1;
    start++;
  }
  if (total > MAX_REV_HISTORY_LENGTH_IN_CHARS) return history;
  return [...revisions.slice(start), revision].join(',');
}
