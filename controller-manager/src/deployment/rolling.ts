// The RollingUpdate strategy (Kubernetes' rolling.go): each sync takes one step — grow the new
// ReplicaSet within maxSurge, else shrink old ones within maxUnavailable — and reports status;
// once the rollout is complete, old history beyond revisionHistoryLimit goes.
import type { ReplicaSet } from '@skiff/api';
import { desiredReplicas } from './fenceposts.js';
import { filterActive, replicaCount, specReplicas } from './replica-sets.js';
import { maxScaledDown, newRSNewReplicas, scaleDownOld, unhealthyCleanup } from './rolling-plan.js';
import { deploymentComplete } from './status.js';
import type { DeploymentSync } from './sync.js';

type RS = Readonly<ReplicaSet>;

export async function rolloutRolling(sync: DeploymentSync): Promise<void> {
  const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(true);
  const allRSs = [...oldRSs, newRS];
  if (newRS && (await reconcileNewReplicaSet(sync, allRSs, newRS))) {
    return sync.syncRolloutStatus(allRSs, newRS);
  }
  if (await reconcileOldReplicaSets(sync, allRSs, filterActive(oldRSs), newRS)) {
    return sync.syncRolloutStatus(allRSs, newRS);
  }
  if (sync.d.status && deploymentComplete(sync.d, sync.d.status)) await sync.cleanup(oldRSs);
  return sync.syncRolloutStatus(allRSs, newRS);
}

async function reconcileNewReplicaSet(
  sync: DeploymentSync,
  allRSs: readonly (RS | undefined)[],
  newRS: RS,
): Promise<boolean> {
  const desired = desiredReplicas(sync.d);
  if (specReplicas(newRS) === desired) return false;
  const target = specReplicas(newRS) > desired ? desired : newRSNewReplicas(sync.d, allRSs, newRS);
  return (await sync.scaleReplicaSetAndRecordEvent(newRS, target)).scaled;
}

async function reconcileOldReplicaSets(
  sync: DeploymentSync,
  allRSs: readonly (RS | undefined)[],
  oldRSs: readonly RS[],
  newRS: RS | undefined,
): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const limit = maxScaledDown(sync.d, allRSs, newRS);
  if (limit <= 0) return false;

  // Unhealthy old pods first: removing them costs no availability, and left alone they
  // would hold the rollout back until it times out.
  const current = new Map(oldRSs.map((rs) => [rs.metadata.uid ?? '', rs]));
  let cleaned = 0;
  for (const step of unhealthyCleanup(oldRSs, limit)) {
    const { rs } = await sync.scaleReplicaSetAndRecordEvent(step.rs, step.size);
    current.set(rs.metadata.uid ?? '', rs);
    cleaned += specReplicas(step.rs) - step.size;
  }
  const remaining = [...current.values()];
  let scaledDown = 0;
  for (const step of scaleDownOld(sync.d, [...remaining, newRS], remaining)) {
    await sync.scaleReplicaSetAndRecordEvent(step.rs, step.size);
    scaledDown += specReplicas(step.rs) - step.size;
  }
  return cleaned + scaledDown > 0;
}
