// The key an object is cached and queued under: `namespace/name`, or just `name` for
// cluster-scoped objects (client-go's MetaNamespaceKeyFunc). Controllers put keys, never objects,
// on their workqueue and split them again in their sync handler, so both directions live here.
import type { KubeObject } from '../rest/index.js';

export function keyFor(obj: Readonly<KubeObject>): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('cannot key an object without metadata.name');
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** `web/frontend` → `{ namespace: 'web', name: 'frontend' }`; `node-1` → `{ name: 'node-1' }`. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1 && parts[0]) return { name: parts[0] };
  const [namespace, name] = parts;
  if (parts.length === 2 && namespace && name) return { namespace, name };
  throw new Error(`invalid object key ${JSON.stringify(key)}: want "namespace/name" or "name"`);
}
