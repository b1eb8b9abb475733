// Pruning: a custom resource keeps only the fields its schema declares, as Kubernetes stores
// only what its types know. `x-kubernetes-preserve-unknown-fields: true` keeps a subtree's
// undeclared fields (declared ones below it are still pruned by their own schemas). apiVersion,
// kind and metadata are always kept at the root and in embedded resources.
import type { JSONSchemaProps } from '@skiff/api';
import { isPlainObject } from '../../registry/api-object.js';

const typeMeta = new Set(['apiVersion', 'kind', 'metadata']);

/** Removes undeclared fields from `obj` in place. */
export function prune(obj: Record<string, unknown>, root: JSONSchemaProps): void {
  pruneObject(obj, root, true);
}

function pruneValue(value: unknown, schema: JSONSchemaProps): void {
  if (isPlainObject(value)) {
    pruneObject(value, schema, schema['x-kubernetes-embedded-resource'] === true);
  } else if (Array.isArray(value) && schema.items && !Array.isArray(schema.items)) {
    for (const item of value) pruneValue(item, schema.items);
  }
}

function pruneObject(
  obj: Record<string, unknown>,
  schema: JSONSchemaProps,
  keepTypeMeta: boolean,
): void {
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const map =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (keepTypeMeta && typeMeta.has(key)) continue;
    const declared = schema.properties?.[key] ?? map;
    if (declared) pruneValue(value, declared);
    else if (!preserve && schema.additionalProperties !== true) Reflect.deleteProperty(obj, key);
  }
}
