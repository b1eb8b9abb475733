// Small helpers every controller that creates objects needs (controller-runtime's controllerutil):
// the owner reference that makes an object "controlled by" another, and finalizer bookkeeping.
import type { OwnerReference } from '@skiff/api';
import type { KubeObject } from '../rest/index.js';

/**
 * The owner reference a controller puts on what it creates: `controller: true` says this owner
 * is the one responsible for it (owns() maps the child back through it), `blockOwnerDeletion`
 * lets foreground deletion of the owner wait for it. The owner must have been read from the
 * apiserver (it needs apiVersion, kind, name and uid).
 */
export function controllerReference(owner: Readonly<KubeObject>): OwnerReference {
  const { apiVersion, kind, metadata } = owner;
  if (!apiVersion || !kind || !metadata?.name || !metadata.uid) {
    throw new Error('an owner needs apiVersion, kind, metadata.name and metadata.uid');
  }
  return {
    apiVersion,
    kind,
    name: metadata.name,
    uid: metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True when `obj` is controlled by `owner` (same uid on its controller reference). */
export function isControlledBy(obj: Readonly<KubeObject>, owner: Readonly<KubeObject>): boolean {
  const uid = owner.metadata?.uid;
  return (
    uid !== undefined &&
    (obj.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid)
  );
}

export function hasFinalizer(obj: Readonly<KubeObject>, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** `finalizers` with `finalizer` added (a new array; the object is not touched). */
export function withFinalizer(obj: Readonly<KubeObject>, finalizer: string): string[] {
  const finalizers = obj.metadata?.finalizers ?? [];
  return finalizers.includes(finalizer) ? [...finalizers] : [...finalizers, finalizer];
}

/** `finalizers` without `finalizer` (a new array; the object is not touched). */
export function withoutFinalizer(obj: Readonly<KubeObject>, finalizer: string): string[] {
  return (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
}
