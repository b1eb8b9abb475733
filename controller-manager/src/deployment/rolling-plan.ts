// The arithmetic of a rolling update (Kubernetes' rolling.go and NewRSNewReplicas), as pure
// functions: how far the new ReplicaSet may grow within maxSurge, and how many old pods may go
// within maxUnavailable — unhealthy ones first, since removing them costs no availability.
import type { Deployment, ReplicaSet } from '@skiff/api';
import { desiredReplicas, isRollingUpdate, maxUnavailable, scaledValue } from './fenceposts.js';
import {
  availableReplicasStaying,
  byCreationTimestamp,
  podCountUpperBound,
  replicaCount,
  specReplicas,
} from './replica-sets.js';

type RS = Readonly<ReplicaSet>;

export interface ScaleStep {
  readonly rs: RS;
  readonly size: number;
}

/**
 * The new ReplicaSet's size now: Recreate goes straight to desired, RollingUpdate by maxSurge.
 *
 * Kubernetes sums the ReplicaSets' spec.replicas here, so the new ReplicaSet may grow as soon as
 * an old one was asked to shrink: its creates can land before the old pod's deletion, and for a
 * moment there is one pod more than maxSurge allows. skiff also counts the pods an old
 * ReplicaSet's status still reports, so the surge holds pod by pod, at every moment.
 */
export function newRSNewReplicas(
  d: Readonly<Deployment>,
  allRSs: readonly (RS | undefined)[],
  newRS: RS,
): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, desired, true);
  const current = podCountUpperBound(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

/**
 * How many old pods may be removed at most: everything above the minimum available, less the
 * new pods not yet available (they may never become so).
 */
export function maxScaledDown(
  d: Readonly<Deployment>,
  allRSs: readonly (RS | undefined)[],
  newRS: RS | undefined,
): number {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  return replicaCount(allRSs) - minAvailable - newUnavailable;
}

/** Old ReplicaSets shrunk by their unavailable pods, oldest first, up to `maxCleanup` pods. */
export function unhealthyCleanup(oldRSs: readonly RS[], maxCleanup: number): ScaleStep[] {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= maxCleanup) break;
    const replicas = specReplicas(rs);
    const unhealthy = replicas - (rs.status?.availableReplicas ?? 0);
    if (replicas === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    steps.push({ rs, size: replicas - count });
    total += count;
  }
  return steps;
}

/**
 * Old ReplicaSets shrunk, oldest first, by what is available above the minimum.
 *
 * Kubernetes counts the ReplicaSets' status.availableReplicas, which a ReplicaSet just asked to
 * shrink still reports from before its deletions: a sync in that window removes those pods a
 * second time and availability drops below the minimum for a moment. skiff counts at most
 * spec.replicas available pods per ReplicaSet, so maxUnavailable holds at every moment.
 */
export function scaleDownOld(
  d: Readonly<Deployment>,
  allRSs: readonly (RS | undefined)[],
  oldRSs: readonly RS[],
): ScaleStep[] {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = availableReplicasStaying(allRSs);
  if (available <= minAvailable) return [];
  const toScaleDown = available - minAvailable;
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= toScaleDown) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, toScaleDown - total);
    steps.push({ rs, size: replicas - count });
    total += count;
  }
  return steps;
}
