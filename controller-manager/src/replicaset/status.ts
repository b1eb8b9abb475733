// A ReplicaSet's status from the pods it owns (Kubernetes' calculateStatus): how many exist, how
// many carry all of the template's labels, how many are ready and how many have been ready for
// minReadySeconds; plus the ReplicaFailure condition while creating or deleting pods fails.
import { selectorFromSet, type Pod, type ReplicaSet, type ReplicaSetStatus } from '@skiff/api';
import { rfc3339 } from '../meta/time.js';
import { isPodAvailable, isPodReady } from '../podutil/pod.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** What went wrong managing replicas in this sync, for the ReplicaFailure condition. */
export interface ManageReplicasError {
  /** `FailedCreate` or `FailedDelete`, Kubernetes' reasons. */
  readonly reason: 'FailedCreate' | 'FailedDelete';
  /** The apiserver's message, as the condition and the event carry it. */
  readonly message: string;
}

export function calculateStatus(
  rs: Readonly<ReplicaSet>,
  activePods: readonly Readonly<Pod>[],
  manageError: ManageReplicasError | undefined,
  now: number,
): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  const conditions = (rs.status?.conditions ?? []).map((c) => ({ ...c }));
  const failure = conditions.findIndex((c) => c.type === REPLICA_FAILURE);
  // As in Kubernetes, a standing failure condition keeps its first message until a sync
  // succeeds; it is not rewritten on every failed retry.
  if (manageError && failure < 0) {
    conditions.push({
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: rfc3339(now),
      reason: manageError.reason,
      message: manageError.message,
    });
  } else if (!manageError && failure >= 0) {
    conditions.splice(failure, 1);
  }
  return {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    ...(rs.status?.observedGeneration !== undefined && {
      observedGeneration: rs.status.observedGeneration,
    }),
    ...(conditions.length > 0 && { conditions }),
  };
}

/** True when writing `next` (with the object's generation observed) would change nothing. */
export function statusUpToDate(rs: Readonly<ReplicaSet>, next: ReplicaSetStatus): boolean {
  const current = rs.status;
  return (
    current !== undefined &&
    current.replicas === next.replicas &&
    (current.fullyLabeledReplicas ?? 0) === next.fullyLabeledReplicas &&
    (current.readyReplicas ?? 0) === next.readyReplicas &&
    (current.availableReplicas ?? 0) === next.availableReplicas &&
    current.observedGeneration === rs.metadata.generation &&
    JSON.stringify(current.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}
