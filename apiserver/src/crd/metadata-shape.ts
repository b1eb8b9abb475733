// A custom resource's metadata is ObjectMeta whatever its CRD's schema says, and it must have
// ObjectMeta's shape before the metadata rules (names, labels, finalizers) look at it. The
// built-in ObjectMeta schema checks it, by way of a ConfigMap — a kind with nothing else that is
// required — so the rules and messages are exactly those of the built-in kinds.
import { validateStructure, type FieldError } from '@skiff/api';
import { isPlainObject, type ApiObject } from '../registry/api-object.js';

export function metadataShapeErrors(obj: ApiObject): FieldError[] {
  return validateStructure({ apiVersion: 'v1', kind: 'ConfigMap', metadata: obj.metadata });
}

/** Go's decoder leaves a null field unset; built-in kinds get the same from their defaulting. */
export function withoutNullsDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNullsDeep) as T;
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNullsDeep(v)]),
  ) as T;
}
