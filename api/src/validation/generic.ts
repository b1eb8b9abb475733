// Small checks every kind's validation uses.
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { inclusiveRangeError, isNegativeErrorMsg } from './messages.js';

export function validateNonnegativeField(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value < 0
    ? [fieldErrors.invalid(path, value, isNegativeErrorMsg)]
    : [];
}

export function validateRange(
  value: number | undefined,
  lo: number,
  hi: number,
  path: FieldPath,
): FieldError[] {
  if (value === undefined || (value >= lo && value <= hi)) return [];
  return [fieldErrors.invalid(path, value, inclusiveRangeError(lo, hi))];
}

export function validateImmutableField(
  newValue: unknown,
  oldValue: unknown,
  path: FieldPath,
): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [fieldErrors.immutable(path, newValue)];
}

/** Turns a list of messages into one Invalid error per message, as most Kubernetes checks do. */
export function invalidEach(
  path: FieldPath,
  value: unknown,
  messages: readonly string[],
): FieldError[] {
  return messages.map((m) => fieldErrors.invalid(path, value, m));
}

/** A field was left empty: `undefined`, `null` or `""`. */
export function isEmpty(value: string | undefined | null): value is '' | undefined | null {
  return value === undefined || value === null || value === '';
}

/**
 * Deep equality the way Kubernetes' Semantic.DeepEqual sees decoded objects: a missing field,
 * null, an empty list and an empty map are all "unset", so `ports: []` equals no ports.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isUnset(a) && isUnset(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => semanticEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return Object.is(a, b);
}

function isUnset(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.values(v).every(isUnset);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An enum field that defaulting fills when it is absent: absent passes, `""` is Required, any
 * other value must be one of `allowed` (listed in the error in the given order).
 */
export function validateDefaultedEnum(
  value: string | undefined,
  allowed: readonly string[],
  path: FieldPath,
): FieldError[] {
  if (value === undefined) return [];
  if (value === '') return [fieldErrors.required(path)];
  return allowed.includes(value) ? [] : [fieldErrors.notSupported(path, value, allowed)];
}
