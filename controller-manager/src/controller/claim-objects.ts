// Kubernetes' BaseControllerRefManager.ClaimObject, as a decision shared by every controller
// that owns what its selector matches (a ReplicaSet its pods, a Deployment its ReplicaSets): of
// the objects in the owner's namespace, which does it own, which orphans should it adopt, and
// which of its own must it release because their labels no longer match. Ownership is the owner
// reference with `controller: true`; an object controlled by anything else is never touched.
import type { ObjectMeta, OwnerReference, Selector } from '@skiff/api';
import { controllerOf } from '@skiff/client';

interface Owned {
  readonly metadata: ObjectMeta;
}

export interface Claims<T extends Owned> {
  /** Controlled by the owner and still selected. */
  readonly owned: Readonly<T>[];
  /** Orphans the selector matches: adopt them (a patch adding the owner reference). */
  readonly adopt: Readonly<T>[];
  /** Controlled by the owner but no longer selected: release them. */
  readonly release: Readonly<T>[];
}

export function claimObjects<T extends Owned>(
  owner: Readonly<Owned>,
  selector: Selector,
  objects: readonly Readonly<T>[],
): Claims<T> {
  const owned: Readonly<T>[] = [];
  const adopt: Readonly<T>[] = [];
  const release: Readonly<T>[] = [];
  const beingDeleted = owner.metadata.deletionTimestamp !== undefined;
  for (const object of objects) {
    const matches = selector.matches(object.metadata.labels);
    const ref = controllerOf(object);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) owned.push(object);
      // An owner on its way out keeps what it has: the garbage collector deals with it.
      else if (!beingDeleted) release.push(object);
      continue;
    }
    // Never adopt for an owner being deleted, nor an object being deleted.
    if (!matches || beingDeleted || object.metadata.deletionTimestamp) continue;
    adopt.push(object);
  }
  return { owned, adopt, release };
}

export function adoptPatch(ownerRef: OwnerReference, uid: string | undefined): object {
  return { metadata: { ownerReferences: [ownerRef], ...(uid && { uid: uid }) } };
}

/** The strategic merge patch that removes the owner reference `ownerUid` from an object. */
export function releasePatch(ownerUid: string, uid: string | undefined): object {
  return {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: ownerUid }],
      ...(uid && { uid: uid }),
    },
  };
}
