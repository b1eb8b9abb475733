// Pruning: a custom resource keeps only the fields its schema declares, as Kubernetes stores
// only what its types know. `x-kubernetes-preserve-unknown-fields: true` keeps a subtree's
// undeclared fields (declared ones below it are still pruned by their own schemas). apiVersion,
// kind and metadata are always kept at the root and in embedded resources. The paths of what
// was removed are what fieldValidation=Warn and Strict report as unknown fields.
import type { JSONSchemaProps } from '@skiff/api';
import { isPlainObject } from '../../registry/api-object.js';

const typeMeta = new Set(['apiVersion', 'kind', 'metadata']);

/** Removes undeclared fields from `obj` in place; returns their paths (`spec.foo`, `a[0].b`). */
export function prune(obj: Record<string, unknown>, root: JSONSchemaProps): string[] {
  const pruned: string[] = [];
  pruneObject(obj, root, true, '', pruned);
  return pruned;
}

function pruneValue(value: unknown, schema: JSONSchemaProps, path: string, pruned: string[]): void {
  if (isPlainObject(value)) {
    pruneObject(value, schema, schema['x-kubernetes-embedded-resource'] === true, path, pruned);
  } else if (Array.isArray(value) && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items;
    value.forEach((item, i) => pruneValue(item, items, `${path}[${i}]`, pruned));
  }
}

function pruneObject(
  obj: Record<string, unknown>,
  schema: JSONSchemaProps,
  keepTypeMeta: boolean,
  path: string,
  pruned: string[],
): void {
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const map =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (keepTypeMeta && typeMeta.has(key)) continue;
    const child = path === '' ? key : `${path}.${key}`;
    const declared = schema.properties?.[key] ?? map;
    if (declared) pruneValue(value, declared, child, pruned);
    else if (!preserve && schema.additionalProperties !== true) {
      Reflect.deleteProperty(obj, key);
      pruned.push(child);
    }
  }
}
