// The order of a list after a strategic merge. Kubernetes keeps it stable and predictable:
// elements named in the patch (or in `$setElementOrder`) come in the patch's order, elements
// only the server had keep their own relative order, and the two are interleaved by where the
// server's list had them. Elements new to the server come before the server-only ones they
// are compared with (a container added by `kubectl patch` lands first).
import { malformedPatch } from './errors.js';
import { type JsonValue, isJsonObject, preview } from './json.js';

/**
 * What identifies a list element: its merge key's value in a list of maps, the value itself in a
 * list of primitives.
 */
export function identityOf(item: JsonValue, mergeKey: string, path: string): JsonValue {
  if (mergeKey === '') return item;
  if (!isJsonObject(item)) {
    throw malformedPatch(`${path} merges by ${mergeKey}, but ${preview(item)} is not a map`);
  }
  const identity = item[mergeKey];
  if (identity === undefined) {
    throw malformedPatch(`element ${preview(item)} of ${path} lacks its merge key ${mergeKey}`);
  }
  return identity;
}

function indexIn(
  list: readonly JsonValue[],
  identity: JsonValue,
  mergeKey: string,
  path: string,
): number {
  return list.findIndex((item) => identityOf(item, mergeKey, path) === identity);
}

/** Splits `items` into those whose identity appears in `wanted` and the rest, keeping their order. */
export function partitionByPresence(
  items: readonly JsonValue[],
  wanted: readonly JsonValue[],
  mergeKey: string,
  path: string,
): { named: JsonValue[]; others: JsonValue[] } {
  const wantedIds = new Set(wanted.map((item) => identityOf(item, mergeKey, path)));
  const named: JsonValue[] = [];
  const others: JsonValue[] = [];
  for (const item of items) {
    (wantedIds.has(identityOf(item, mergeKey, path)) ? named : others).push(item);
  }
  return { named, others };
}

/**
 * Orders the merged list: `named` by `namedOrder`, `serverOnly` by `serverOrder` (the list before
 * the merge), then interleaves them by their positions in `serverOrder`.
 */
export function normalizeElementOrder(
  named: readonly JsonValue[],
  serverOnly: readonly JsonValue[],
  namedOrder: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  mergeKey: string,
  path: string,
): JsonValue[] {
  const position = (list: readonly JsonValue[]) => (item: JsonValue) =>
    indexIn(list, identityOf(item, mergeKey, path), mergeKey, path);
  const left = sortByPositions(serverOnly, position(serverOrder));
  const right = sortByPositions(named, position(namedOrder));
  const serverPosition = position(serverOrder);

  const merged: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (r === undefined) {
      merged.push(...left.slice(i));
      break;
    }
    if (l === undefined) {
      merged.push(...right.slice(j));
      break;
    }
    const li = serverPosition(l);
    const ri = serverPosition(r);
    // A server-only element goes first only when both are on the server and it came earlier.
    if (li >= 0 && ri >= 0 && li < ri) {
      merged.push(l);
      i++;
    } else {
      merged.push(r);
      j++;
    }
  }
  return merged;
}

/** A stable sort by position; elements the order does not name keep their place relative to each other. */
function sortByPositions(
  items: readonly JsonValue[],
  positionOf: (item: JsonValue) => number,
): JsonValue[] {
  return items
    .map((item) => ({ item, at: positionOf(item) }))
    .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : 0))
    .map(({ item }) => item);
}
