// How API objects map to storage keys: `<resource>/<namespace>/<name>` for namespaced objects and
// `<resource>/<name>` for cluster-scoped ones, as Kubernetes lays out /registry in etcd. The etcd
// backend prepends its prefix (default `/registry/`); the embedded store needs none.
import { StorageError } from './errors.js';

export function objectKey(resource: string, namespace: string | undefined, name: string): string {
  return namespace ? `${resource}/${namespace}/${name}` : `${resource}/${name}`;
}

/** The prefix that lists a resource in one namespace, or across all of them. */
export function listPrefix(resource: string, namespace?: string): string {
  return namespace ? `${resource}/${namespace}/` : `${resource}/`;
}

/** Keys are non-empty strings without NUL; both backends check this before touching data. */
export function assertValidKey(key: string): void {
  if (key.length === 0) throw new StorageError('InvalidKey', 'storage key must not be empty');
  if (key.includes('\0'))
    throw new StorageError('InvalidKey', `storage key contains NUL: ${JSON.stringify(key)}`, key);
}
