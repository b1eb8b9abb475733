// The fields one object differs from another in, as structured-merge-diff's TypedValue.Compare
// reports them: paths added, modified and removed. Besides the changed leaves, a map entry or
// list element that appears (or disappears) as a whole is itself a member, which is where
// FieldsV1's `".": {}` comes from; a map or list empty (or null) on both sides is a leaf, so an
// empty `resources: {}` is owned too.
import { isDeepStrictEqual } from 'node:util';
import { FieldSet } from './field-set.js';
import { fieldElement, keyElement, valueElement } from './path-elements.js';
import { elementType, type FieldType, fieldType, isAtomicMap, listKind } from './schema.js';
import { isPlainObject as isRecord } from '../registry/api-object.js';

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** Compares `lhs` (the old object, or undefined) with `rhs` under the kind's `type`. */
export function compareObjects(lhs: unknown, rhs: unknown, type: FieldType): Comparison {
  const out = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(out, [], lhs, rhs, type);
  return out;
}

type Out = Comparison;

function walk(out: Out, path: string[], lhs: unknown, rhs: unknown, type: FieldType): void {
  if ((isRecord(lhs) || isRecord(rhs)) && !isAtomicMap(type)) {
    walkMap(out, path, lhs, rhs, type);
    return;
  }
  if (Array.isArray(lhs) || Array.isArray(rhs)) {
    const kind = listKind(type);
    if (kind !== 'atomic' && walkList(out, path, lhs, rhs, type, kind)) return;
  }
  leaf(out, path, lhs, rhs);
}

function leaf(out: Out, path: string[], lhs: unknown, rhs: unknown): void {
  if (lhs === undefined) out.added.insert(path);
  else if (rhs === undefined) out.removed.insert(path);
  else if (!isDeepStrictEqual(lhs, rhs)) out.modified.insert(path);
}

/** After a map entry or list element: one that appeared or went is a member as a whole. */
function item(out: Out, path: string[], lhs: unknown, rhs: unknown): void {
  if (lhs === undefined) out.added.insert(path);
  else if (rhs === undefined) out.removed.insert(path);
}

function walkMap(out: Out, path: string[], lhs: unknown, rhs: unknown, type: FieldType): void {
  const l = isRecord(lhs) ? lhs : undefined;
  const r = isRecord(rhs) ? rhs : undefined;
  if (isEmptyMap(l) && isEmptyMap(r)) {
    leaf(out, path, lhs, rhs);
    return;
  }
  const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})]);
  for (const key of keys) {
    const childPath = [...path, fieldElement(key)];
    const lv = l?.[key];
    const rv = r?.[key];
    walk(out, childPath, lv, rv, fieldType(type, key));
    item(out, childPath, lv, rv);
  }
}

/** False when an element cannot be addressed (no key field): the list is then compared whole. */
function walkList(
  out: Out,
  path: string[],
  lhs: unknown,
  rhs: unknown,
  type: FieldType,
  kind: Exclude<ReturnType<typeof listKind>, 'atomic'>,
): boolean {
  const l = Array.isArray(lhs) ? lhs : [];
  const r = Array.isArray(rhs) ? rhs : [];
  if (l.length === 0 && r.length === 0) {
    leaf(out, path, lhs, rhs);
    return true;
  }
  const element = (value: unknown): string | undefined =>
    kind === 'set' ? valueElement(value) : keyElement(value, kind.keys);
  const left = byElement(l, element);
  const right = byElement(r, element);
  if (left === undefined || right === undefined) return false;
  const itemType = elementType(type);
  for (const pe of new Set([...left.keys(), ...right.keys()])) {
    const childPath = [...path, pe];
    const lv = left.get(pe);
    const rv = right.get(pe);
    walk(out, childPath, lv, rv, itemType);
    item(out, childPath, lv, rv);
  }
  return true;
}

function byElement(
  list: readonly unknown[],
  element: (value: unknown) => string | undefined,
): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const value of list) {
    const pe = element(value);
    if (pe === undefined) return undefined;
    out.set(pe, value);
  }
  return out;
}

function isEmptyMap(value: Record<string, unknown> | undefined): boolean {
  return value === undefined || Object.keys(value).length === 0;
}
