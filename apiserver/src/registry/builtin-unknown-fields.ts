// Fields a built-in kind does not have. kube-apiserver decodes a body into the kind's Go struct,
// so a field the struct lacks is dropped, and fieldValidation decides whether the client hears
// of it: Ignore (silently), Warn (a Warning header each, the default) or Strict (400, `strict
// decoding error: unknown field "spec.containers[0].imagePolicy"`). skiff knows every field of
// every built-in struct from the protobuf messages it speaks (../protobuf/definitions, the
// k8s.io/api structs field by field), so it drops and reports exactly those.
import type protobuf from 'protobufjs';
import type { KindInfo } from '@skiff/api';
import { fieldPlans, specialOf } from '../protobuf/field-plan.js';
import { typeForKind } from '../protobuf/schema.js';
import { shapedTypes } from '../protobuf/special-types.js';
import { isPlainObject, type ApiObject } from './api-object.js';

interface Field {
  readonly message: protobuf.Type | undefined;
  readonly repeated: boolean;
  readonly map: boolean;
}

const fieldSets = new WeakMap<protobuf.Type, ReadonlyMap<string, Field>>();

/** The JSON fields of a message, with those of inline (embedded) structs lifted in. */
function fieldsOf(type: protobuf.Type): ReadonlyMap<string, Field> {
  let fields = fieldSets.get(type);
  if (fields === undefined) {
    const collected = new Map<string, Field>();
    for (const plan of fieldPlans(type)) {
      if (plan.inline && plan.message) {
        for (const [json, field] of fieldsOf(plan.message)) collected.set(json, field);
      } else {
        collected.set(plan.json, { message: plan.message, repeated: plan.repeated, map: plan.map });
      }
    }
    fields = collected;
    fieldSets.set(type, fields);
  }
  return fields;
}

/**
 * Removes the fields `obj` has that its kind does not, and returns their paths in the order the body has them (as Kubernetes reports them); `[]`
 * for a kind skiff has no struct for (its strategy handles unknown fields itself).
 */
export function dropUnknownBuiltinFields(kind: KindInfo, obj: ApiObject): string[] {
  const type = typeForKind(kind.apiVersion, kind.kind);
  if (!type) return [];
  const unknown: string[] = [];
  const typeMeta = new Set(['apiVersion', 'kind']);
  walk(obj, type, '', unknown, typeMeta);
  return unknown;
}

function walk(
  value: Record<string, unknown>,
  type: protobuf.Type,
  path: string,
  unknown: string[],
  alsoKnown: ReadonlySet<string> = new Set(),
): void {
  // Types whose JSON is not their message's fields (times, quantities, int-or-string, raw
  // JSON, a CRD schema's "schema or array"): nothing inside them is a field of a struct.
  if (specialOf(type) !== undefined) return;
  const fields = fieldsOf(type);
  for (const key of Object.keys(value)) {
    const field = fields.get(key);
    const here = path === '' ? key : `${path}.${key}`;
    if (!field) {
      if (alsoKnown.has(key)) continue;
      unknown.push(here);
      // Kubernetes drops what its struct cannot hold; the copy being written is this request's.
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
      delete value[key];
      continue;
    }
    const message = field.message;
    if (!message) continue;
    const child = value[key];
    if (field.map) {
      if (!isPlainObject(child)) continue;
      for (const [mapKey, item] of Object.entries(child)) {
        walkValue(item, message, `${here}[${mapKey}]`, unknown);
      }
    } else if (field.repeated) {
      if (!Array.isArray(child)) continue;
      child.forEach((item, i) => walkValue(item, message, `${here}[${i}]`, unknown));
    } else {
      walkValue(child, message, here, unknown);
    }
  }
}

/**
 * One value of a message type. A CRD schema's "schema or array/bool" types (shaped types) hold
 * a JSONSchemaProps, or a list of them, in their JSON: those are walked as JSONSchemaProps.
 */
function walkValue(value: unknown, type: protobuf.Type, path: string, unknown: string[]): void {
  if (shapedTypes.has(type.fullName)) {
    const schema = fieldPlans(type).find((p) => p.json === 'schema')?.message;
    if (!schema) return;
    if (Array.isArray(value))
      value.forEach((item, i) => walkValue(item, schema, `${path}[${i}]`, unknown));
    else walkValue(value, schema, path, unknown);
    return;
  }
  if (isPlainObject(value)) walk(value, type, path, unknown);
}
