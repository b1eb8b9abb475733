// Defaulting from a CRD's schema, as Kubernetes does while decoding a custom resource: a field
// with a `default` that is absent gets a copy of it, and so does one that is null where the
// schema does not allow null. Other nulls where null is not allowed are dropped (Go's decoder
// would leave such a field unset). Defaults nest: a defaulted object gets its own fields'
// defaults too. apiVersion, kind and metadata at the root are the server's, never defaulted.
import type { JSONSchemaProps } from '@skiff/api';
import { isPlainObject } from '../../registry/api-object.js';

const typeMeta = new Set(['apiVersion', 'kind', 'metadata']);

/** Fills defaults into `obj` in place. */
export function applySchemaDefaults(obj: Record<string, unknown>, root: JSONSchemaProps): void {
  defaultObject(obj, root, true);
}

function defaultValue(value: unknown, schema: JSONSchemaProps): void {
  if (isPlainObject(value)) defaultObject(value, schema, false);
  else if (Array.isArray(value) && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items;
    value.forEach((item, i) => {
      if (item === null && items.nullable !== true && items.default !== undefined) {
        value[i] = structuredClone(items.default);
      }
      defaultValue(value[i], items);
    });
  }
}

function defaultObject(obj: Record<string, unknown>, schema: JSONSchemaProps, root: boolean): void {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (root && typeMeta.has(key)) continue;
    defaultField(obj, key, prop);
  }
  if (typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(obj)) {
      if (schema.properties?.[key] === undefined)
        defaultField(obj, key, schema.additionalProperties);
    }
  }
}

function defaultField(obj: Record<string, unknown>, key: string, schema: JSONSchemaProps): void {
  const value = obj[key];
  if (value === undefined || (value === null && schema.nullable !== true)) {
    if (schema.default !== undefined) obj[key] = structuredClone(schema.default);
    else if (value === null) Reflect.deleteProperty(obj, key);
  }
  if (obj[key] !== undefined) defaultValue(obj[key], schema);
}
