// How watched objects become requests, controller-runtime's three event handlers:
//
// - for(kind):    the object itself              (EnqueueRequestForObject)
// - owns(kind):   its controller owner           (EnqueueRequestForOwner, OnlyControllerOwner)
// - watches(...): whatever a map function says   (EnqueueRequestsFromMapFunc)
//
// All three are one handler around a map function. An update asks for the requests of both the
// old and the new object — an owner reference or label that moved must wake the old owner too,
// so it can notice it lost the child. The queue collapses duplicates.
import { parseApiVersion, type OwnerReference } from '@skiff/api';
import type { ResourceEventHandler } from '../informers/index.js';
import type { KubeObject } from '../rest/index.js';
import type { Request } from './reconciler.js';

/** Where handlers send requests: a Controller. */
export interface RequestQueue {
  enqueue(request: Request): void;
}

export type MapFunc<T> = (obj: Readonly<T>) => readonly Request[];

export function enqueueMapped<T extends KubeObject>(
  queue: RequestQueue,
  map: MapFunc<T>,
): ResourceEventHandler<T> {
  const enqueueAll = (obj: Readonly<T>): void => {
    for (const request of map(obj)) queue.enqueue(request);
  };
  return {
    onAdd: (obj) => enqueueAll(obj),
    onUpdate: (oldObj, newObj) => {
      if (oldObj !== newObj) enqueueAll(oldObj);
      enqueueAll(newObj);
    },
    onDelete: (obj) => enqueueAll(obj),
  };
}

/** The object's own request. */
export function requestForObject(obj: Readonly<KubeObject>): Request[] {
  const name = obj.metadata?.name;
  if (!name) return [];
  const namespace = obj.metadata?.namespace;
  return [namespace ? { namespace, name } : { name }];
}

/** Identifies the owner kind of an owns() watch. */
export interface OwnerKind {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/**
 * The request of the object's controller (the owner reference with `controller: true`) when it
 * is of `owner`'s kind. Versions are not compared: an owner reference written as v1beta1 still
 * names the same object. A namespaced owner lives in its child's namespace (owner references
 * cannot cross namespaces).
 */
export function requestsForControllerOwner(owner: OwnerKind): MapFunc<KubeObject> {
  return (obj) => {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== owner.kind || parseApiVersion(ref.apiVersion).group !== owner.group) {
      return [];
    }
    if (!owner.namespaced) return [{ name: ref.name }];
    const namespace = obj.metadata?.namespace;
    return namespace ? [{ namespace, name: ref.name }] : [];
  };
}

/** The owner reference marked `controller: true`, if any (there is at most one). */
export function controllerOf(obj: Readonly<KubeObject>): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}
