// Where NamespaceLifecycle reads namespaces from: the namespace watch cache, not storage. Every
// create in a namespace asks, so a storage read here cost each create a second etcd round trip
// (about a third of the apiserver's CPU per create). Kubernetes' plugin reads its informer the
// same way and goes to storage only when the informer has not seen the namespace.
//
// Freshness, the one thing a cache can get wrong here:
// - A namespace the cache has not seen yet (created moments ago, perhaps through another
//   apiserver) is a miss, and a miss is read from storage: a create never fails with 404 for a
//   namespace that exists.
// - This server's own namespace writes (a delete that marks a namespace Terminating) are never
//   missed: until the cache has reached the newest revision the namespaces registry wrote, the
//   lookup reads storage. So "delete namespace, then create in it" through one apiserver is
//   always refused with 403, and the check costs a comparison of two numbers otherwise.
// - A namespace marked Terminating through *another* apiserver is seen once this server's cache
//   has the event (normally milliseconds; longer while etcd's watch lags). A create admitted in
//   that window lands in a Terminating namespace; the controller-manager's namespace controller
//   deletes it on its next pass, and finalizes only after a pass that found nothing. Kubernetes
//   has the same window between a namespace's deletion and its informer's update.
import type { Namespace } from '@skiff/api';
import { asKind } from '../registry/api-object.js';
import type { Registry } from '../registry/registry.js';
import type { NamespaceLookup } from './namespace-lifecycle.js';

export function cachedNamespaceLookup(namespaces: () => Registry): NamespaceLookup {
  return async (name) => {
    const registry = namespaces();
    const cache = registry.cache;
    if (cache?.ready && cache.revision >= registry.newestWriteRevision) {
      const cached = (await cache.get(name)).object;
      if (cached) return asKind<Namespace>(cached);
    }
    const stored = await registry.find(undefined, name);
    return stored && asKind<Namespace>(stored);
  };
}
