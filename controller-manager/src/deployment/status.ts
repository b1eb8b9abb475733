// A Deployment's status from its ReplicaSets (Kubernetes' calculateStatus in sync.go and
// syncRolloutStatus in progress.go): the replica counts `kubectl rollout status` reads, the
// Available condition, and — when progressDeadlineSeconds is set — the Progressing condition
// that says whether the rollout moved, finished, or ran out of time.
import type { Deployment, DeploymentStatus, ReplicaSet } from '@skiff/api';
import {
  AVAILABLE,
  PROGRESSING,
  REPLICA_FAILURE,
  fromReplicaSetCondition,
  getCondition,
  newCondition,
  reasons,
  removeCondition,
  setCondition,
} from './conditions.js';
import { desiredReplicas, maxUnavailable } from './fenceposts.js';
import { canonicalJson } from './hash.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  readyReplicaCount,
  replicaCount,
} from './replica-sets.js';

type RS = Readonly<ReplicaSet>;

/** Kubernetes treats MaxInt32 as "no deadline" (the extensions/v1beta1 default). */
export function hasProgressDeadline(d: Readonly<Deployment>): boolean {
  const deadline = d.spec.progressDeadlineSeconds;
  return deadline !== undefined && deadline !== 2147483647;
}

export function calculateStatus(
  allRSs: readonly (RS | undefined)[],
  newRS: RS | undefined,
  d: Readonly<Deployment>,
  now: number,
): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    // More available than asked for happens while scaling down: never negative.
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
    ...(d.status?.collisionCount !== undefined && { collisionCount: d.status.collisionCount }),
    ...(d.status?.conditions && { conditions: d.status.conditions.map((c) => ({ ...c })) }),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        AVAILABLE,
        'True',
        reasons.minimumReplicasAvailable,
        'Deployment has minimum availability.',
        now,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        AVAILABLE,
        'False',
        reasons.minimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** Every new pod exists and is available, and the current spec was seen. */
export function deploymentComplete(d: Readonly<Deployment>, status: DeploymentStatus): boolean {
  const desired = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** Something moved since the last status: more new pods, fewer old, more ready or available. */
export function deploymentProgressing(d: Readonly<Deployment>, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress reported for progressDeadlineSeconds since the Progressing condition's update. */
export function deploymentTimedOut(
  d: Readonly<Deployment>,
  status: DeploymentStatus,
  now: number,
): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, PROGRESSING);
  if (!condition) return false;
  // A finished rollout is not timed against; a timed out one stays so.
  if (condition.reason === reasons.newReplicaSetAvailable) return false;
  if (condition.reason === reasons.progressDeadlineExceeded) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/** The status after a rollout step: counts, Available, Progressing and ReplicaFailure. */
export function rolloutStatus(
  allRSs: readonly (RS | undefined)[],
  newRS: RS | undefined,
  d: Readonly<Deployment>,
  now: number,
): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  // A finished rollout being resynced has no progress left to estimate.
  const finished =
    status.replicas === status.updatedReplicas &&
    current?.reason === reasons.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !finished) {
    const name = d.metadata.name ?? '';
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name ?? ''}"` : `Deployment "${name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(
          PROGRESSING,
          'True',
          reasons.newReplicaSetAvailable,
          `${subject} has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even with the same reason: that is what the
      // deadline is measured from. lastTransitionTime stays while the status stays True.
      const condition = newCondition(
        PROGRESSING,
        'True',
        reasons.replicaSetUpdated,
        `${subject} is progressing.`,
        now,
      );
      if (current?.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, PROGRESSING);
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(
        status,
        newCondition(
          PROGRESSING,
          'False',
          reasons.progressDeadlineExceeded,
          `${subject} has timed out progressing.`,
          now,
        ),
      );
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);
  return status;
}

/** The new ReplicaSet's ReplicaFailure, else the first old one's. */
function replicaFailure(allRSs: readonly (RS | undefined)[], newRS: RS | undefined) {
  for (const rs of [newRS, ...allRSs]) {
    const c = rs?.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    if (c) return fromReplicaSetCondition(c);
  }
  return undefined;
}

/**
 * When to look again at a rollout that shows no progress, so the deadline is noticed without
 * any event (requeueStuckDeployment): undefined when there is nothing to time, 0 for "now,
 * through the rate limiter", else milliseconds (plus a second against clock skew).
 */
export function stuckRequeueAfter(
  d: Readonly<Deployment>,
  status: DeploymentStatus,
  now: number,
): number | undefined {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, status) || current.reason === reasons.progressDeadlineExceeded) {
    return undefined;
  }
  const from = Date.parse(current.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  const after = from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - now;
  return after < 1000 ? 0 : after + 1000;
}

/**
 * The status as Kubernetes serializes it (`omitempty`): zero counts and absent fields left out,
 * so comparing two statuses and writing one never differs by a stray 0.
 */
export function normalizeStatus(status: Readonly<DeploymentStatus> | undefined): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status ?? {})) {
    // collisionCount is a pointer in Kubernetes: 0 is a value there, and it feeds the hash.
    if (value === undefined || (value === 0 && key !== 'collisionCount')) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

export function sameStatus(
  a: Readonly<DeploymentStatus> | undefined,
  b: Readonly<DeploymentStatus> | undefined,
): boolean {
  return canonicalJson(normalizeStatus(a)) === canonicalJson(normalizeStatus(b));
}
