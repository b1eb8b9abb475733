// The Recreate strategy (Kubernetes' recreate.go): every old pod goes first — scaled to 0 and
// actually gone, not merely terminating — and only then is the new ReplicaSet created and scaled
// to the full count. Never both versions at once.
import type { Pod, ReplicaSet } from '@skiff/api';
import { desiredReplicas } from './fenceposts.js';
import { actualReplicaCount, filterActive } from './replica-sets.js';
import { deploymentComplete } from './status.js';
import type { DeploymentSync } from './sync.js';

type RS = Readonly<ReplicaSet>;

export async function rolloutRecreate(sync: DeploymentSync): Promise<void> {
  // Not created yet: nothing new may start before the old pods are down.
  let { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(false);
  let allRSs = [...oldRSs, newRS];

  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await sync.scaleReplicaSetAndRecordEvent(rs, 0)).scaled) scaledDown = true;
  }
  if (scaledDown) return sync.syncRolloutStatus(allRSs, newRS);
  if (oldPodsRunning(newRS, oldRSs, sync.podMap)) return sync.syncRolloutStatus(allRSs, newRS);

  if (!newRS) {
    ({ newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) await sync.scaleReplicaSetAndRecordEvent(newRS, desiredReplicas(sync.d));
  if (sync.d.status && deploymentComplete(sync.d, sync.d.status)) await sync.cleanup(oldRSs);
  return sync.syncRolloutStatus(allRSs, newRS);
}

/** Any old pod not finished (terminating ones included) still holds the new version back. */
export function oldPodsRunning(
  newRS: RS | undefined,
  oldRSs: readonly RS[],
  podMap: ReadonlyMap<string, readonly Readonly<Pod>[]>,
): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    // Unknown (deprecated) counts as running: the pod might well be.
    if (pods.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) {
      return true;
    }
  }
  return false;
}
