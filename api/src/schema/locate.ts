// ajv reports where an error is as a JSON Pointer (`/spec/containers/0/ports/0/containerPort`).
// Kubernetes prints `spec.containers[0].ports[0].containerPort` and map keys as
// `metadata.labels[app]`. A pointer alone cannot tell a map key from a struct field, so we walk
// the schema and the data side by side: arrays give `[i]`, a schema's listed properties give
// `.name`, and a schema's additionalProperties (a map) give `[key]`.
import { FieldPath } from '../validation/field-error.js';
import type { JsonSchema } from './json-schema.js';
import { isPlainObject } from './without-nulls.js';

export interface Location {
  path: FieldPath;
  /** The value found there, reported back to the user as the bad value. */
  value: unknown;
}

export function locate(root: JsonSchema, data: unknown, pointer: string): Location {
  let path = FieldPath.root('');
  let schema: JsonSchema | undefined = root;
  let value = data;
  for (const segment of segmentsOf(pointer)) {
    const candidates: JsonSchema[] = schema ? withReferenced(root, schema) : [];
    if (Array.isArray(value)) {
      const index = Number(segment);
      path = path.index(index);
      schema = candidates.find((s) => s.items)?.items;
      value = value[index];
      continue;
    }
    const field = candidates.find((s) => s.properties && Object.hasOwn(s.properties, segment));
    const map = candidates.find((s) => typeof s.additionalProperties === 'object');
    if (field?.properties) {
      path = path.child(segment);
      schema = field.properties[segment];
    } else if (map && typeof map.additionalProperties === 'object') {
      path = path.key(segment);
      schema = map.additionalProperties;
    } else {
      path = path.child(segment);
      schema = undefined;
    }
    value = isPlainObject(value) ? value[segment] : undefined;
  }
  return { path, value };
}

function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The schema itself plus what its `$ref` points to: both contribute keywords. */
function withReferenced(root: JsonSchema, schema: JsonSchema): JsonSchema[] {
  const prefix = '#/$defs/';
  if (!schema.$ref?.startsWith(prefix)) return [schema];
  const target = root.$defs?.[schema.$ref.slice(prefix.length)];
  return target ? [schema, target] : [schema];
}
