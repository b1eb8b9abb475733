// Deployment conditions with Kubernetes' types, reasons and merge rule (deploymentutil's
// SetDeploymentCondition): a condition with the same status and reason is left as it is (times
// included); a new reason with the same status keeps lastTransitionTime; the changed condition
// moves to the end of the list.
import type {
  ConditionStatus,
  DeploymentCondition,
  DeploymentStatus,
  ReplicaSetCondition,
} from '@skiff/api';
import { rfc3339 } from '../meta/time.js';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

/** Kubernetes' reasons, as `kubectl describe` and `rollout status` read them. */
export const reasons = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  replicaSetCreateError: 'ReplicaSetCreateError',
  deploymentPaused: 'DeploymentPaused',
  deploymentResumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: number,
): DeploymentCondition {
  const at = rfc3339(now);
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export function getCondition(
  status: Readonly<DeploymentStatus> | undefined,
  type: string,
): Readonly<DeploymentCondition> | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) {
    return;
  }
  const next = { ...condition };
  if (current && current.status === condition.status) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== next.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/** A ReplicaSet's ReplicaFailure as the Deployment's (lastUpdateTime = its transition time). */
export function fromReplicaSetCondition(c: Readonly<ReplicaSetCondition>): DeploymentCondition {
  return {
    type: c.type,
    status: c.status,
    ...(c.lastTransitionTime && {
      lastUpdateTime: c.lastTransitionTime,
      lastTransitionTime: c.lastTransitionTime,
    }),
    ...(c.reason !== undefined && { reason: c.reason }),
    ...(c.message !== undefined && { message: c.message }),
  };
}
