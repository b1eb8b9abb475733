// client-go's TransformStripManagedFields: an informer transform that drops
// metadata.managedFields, the server-side-apply bookkeeping every write adds to an object (a
// field set per manager, often larger than the spec). Controllers and schedulers never read it
// from their caches; kube-scheduler and kube-controller-manager strip it since Kubernetes 1.30.
// An object without it costs less to keep (for as long as it is cached) and to freeze.
//
// Only for caches nothing writes back from: an update built from a stripped object carries no
// managedFields, which the apiserver reads as "keep what is stored", but a component that reads
// them (an apply tool) must use an informer without this transform.
import type { KubeObject } from '../rest/index.js';

export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
