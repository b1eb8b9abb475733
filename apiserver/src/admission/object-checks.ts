// The checks every object passes on its way to the store, in the order the api package asks
// for: structure first (a wrong shape makes every later rule meaningless, so stop there), then
// defaulting, then the kind's semantic rules. Failures become 422 Invalid with field causes.
import {
  apiErrors,
  applyDefaults,
  validateCreate,
  validateStructure,
  validateUpdate,
  type FieldError,
  type KindInfo,
} from '@skiff/api';
import type { ApiObject } from '../registry/api-object.js';

/** Structure check and defaulting; returns the defaulted copy. */
export function structuredWithDefaults(kind: KindInfo, obj: ApiObject): ApiObject {
  const errors = validateStructure(obj);
  if (errors.length > 0) throw apiErrors.invalid(kind, obj.metadata?.name ?? '', errors);
  return applyDefaults(obj);
}

/** `extra`: the strategy's own rules (a custom resource's schema), reported with the kind's. */
export function checkCreate(
  kind: KindInfo,
  obj: ApiObject,
  extra: readonly FieldError[] = [],
): void {
  const errors = [...validateCreate(obj, { namespaced: kind.namespaced }), ...extra];
  if (errors.length > 0) throw apiErrors.invalid(kind, obj.metadata.name ?? '', errors);
}

export function checkUpdate(
  kind: KindInfo,
  next: ApiObject,
  prev: ApiObject,
  extra: readonly FieldError[] = [],
): void {
  const errors = [...validateUpdate(next, prev, { namespaced: kind.namespaced }), ...extra];
  if (errors.length > 0) throw apiErrors.invalid(kind, next.metadata.name ?? '', errors);
}
