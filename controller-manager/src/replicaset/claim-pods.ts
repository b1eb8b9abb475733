// Kubernetes' PodControllerRefManager.ClaimPods, as a decision: of the active pods in the
// ReplicaSet's namespace, which does it own, which orphans should it adopt, and which of its pods
// must it release because their labels no longer match. Ownership is the owner reference with
// `controller: true`; a pod controlled by anything else is never touched.
import type { OwnerReference, Pod, ReplicaSet, Selector } from '@skiff/api';
import { controllerOf } from '@skiff/client';

export interface PodClaims {
  /** Controlled by the ReplicaSet and still selected. */
  readonly owned: Readonly<Pod>[];
  /** Orphans the selector matches: adopt them (a patch adding the owner reference). */
  readonly adopt: Readonly<Pod>[];
  /** Controlled by the ReplicaSet but no longer selected: release them. */
  readonly release: Readonly<Pod>[];
}

export function claimPods(
  rs: Readonly<ReplicaSet>,
  selector: Selector,
  pods: readonly Readonly<Pod>[],
): PodClaims {
  const owned: Readonly<Pod>[] = [];
  const adopt: Readonly<Pod>[] = [];
  const release: Readonly<Pod>[] = [];
  const beingDeleted = rs.metadata.deletionTimestamp !== undefined;
  for (const pod of pods) {
    const matches = selector.matches(pod.metadata.labels);
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.uid !== rs.metadata.uid) continue;
      if (matches) owned.push(pod);
      // An owner on its way out keeps its pods: the garbage collector deals with them.
      else if (!beingDeleted) release.push(pod);
      continue;
    }
    // Never adopt for an owner being deleted, nor a pod being deleted.
    if (!matches || beingDeleted || pod.metadata.deletionTimestamp) continue;
    adopt.push(pod);
  }
  return { owned, adopt, release };
}

/**
 * The strategic merge patch that adopts a pod. The pod's uid rides along, so a pod deleted and
 * recreated under the same name in the meantime is not adopted by mistake.
 */
export function adoptPatch(ownerRef: OwnerReference, podUid: string | undefined): object {
  return { metadata: { ownerReferences: [ownerRef], ...(podUid && { uid: podUid }) } };
}

/** The strategic merge patch that removes the owner reference `ownerUid` from a pod. */
export function releasePatch(ownerUid: string, podUid: string | undefined): object {
  return {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: ownerUid }],
      ...(podUid && { uid: podUid }),
    },
  };
}
