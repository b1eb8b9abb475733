// The two-way strategic merge patch that turns one object into another, as kubectl edit sends for
// built-in kinds (apimachinery's strategicpatch.CreateTwoWayMergePatch, with $setElementOrder):
//
//   - maps: changed fields set, new ones whole, removed ones null; a map tagged retainKeys
//     (Deployment.spec.strategy) that changed also lists the keys it keeps in $retainKeys;
//   - lists tagged `merge` with a merge key (containers by name, ports by containerPort): only the
//     elements that changed, each as its merge key plus what changed in it, new ones whole,
//     removed ones as {key, $patch: delete}, and the list's order in $setElementOrder/<list>;
//   - merged lists of primitives (finalizers): the values added, the removed ones in
//     $deleteFromPrimitiveList/<list>, the order in $setElementOrder/<list>;
//   - every other list: replaced whole when it changed.
//
// Which field is which comes from the apiserver's own table (patch-meta.ts) through
// `@skiff/apiserver/patch`, so what skiff sends and what the apiserver merges read the same tags.
// Like Go's, elements are compared by the text of their merge key (`%v`), in that sorted order.
import {
  deleteFromPrimitiveListPrefix,
  fieldMeta,
  isJsonObject,
  jsonEqual,
  patchDirective,
  retainKeysDirective,
  setElementOrderPrefix,
  type FieldPatchMeta,
  type JsonObject,
  type JsonValue,
  type StructPatchMeta,
} from '@skiff/apiserver/patch';

export function createTwoWayStrategicMergePatch(
  original: JsonObject,
  modified: JsonObject,
  meta: StructPatchMeta,
): JsonObject {
  return diffMaps(original, modified, meta, false);
}

/** JSON's kinds, as Go's reflect.TypeOf tells decoded values apart (a change of kind replaces). */
function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

function diffMaps(
  original: JsonObject,
  modified: JsonObject,
  meta: StructPatchMeta | undefined,
  buildRetainKeys: boolean,
): JsonObject {
  const patch: JsonObject = {};
  const retained: string[] = [];
  for (const [key, after] of Object.entries(modified)) {
    if (buildRetainKeys && after !== null) retained.push(key);
    const before = original[key];
    if (before === undefined || kindOf(before) !== kindOf(after)) {
      patch[key] = after;
    } else if (isJsonObject(before) && isJsonObject(after)) {
      diffMapField(key, before, after, fieldMeta(meta, key), patch);
    } else if (Array.isArray(before) && Array.isArray(after)) {
      diffListField(key, before, after, fieldMeta(meta, key), patch);
    } else if (!jsonEqual(before, after)) {
      patch[key] = after;
    }
  }
  for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  const dropsAField = Object.entries(original).some(
    ([key, value]) => value !== null && !Object.hasOwn(modified, key),
  );
  if (retained.length > 0 && (Object.keys(patch).length > 0 || dropsAField)) {
    patch[retainKeysDirective] = retained.sort(byText);
  }
  return patch;
}

function diffMapField(
  key: string,
  before: JsonObject,
  after: JsonObject,
  meta: FieldPatchMeta,
  patch: JsonObject,
): void {
  if (meta.strategy === 'replace') {
    if (!jsonEqual(before, after)) patch[key] = after;
    return;
  }
  const changed = diffMaps(before, after, meta.fields, meta.retainKeys === true);
  if (Object.keys(changed).length > 0) patch[key] = changed;
}

function diffListField(
  key: string,
  before: JsonValue[],
  after: JsonValue[],
  meta: FieldPatchMeta,
  patch: JsonObject,
): void {
  if (meta.strategy !== 'merge') {
    if (!jsonEqual(before, after)) patch[key] = after;
    return;
  }
  const { changes, deletions, order } = elementsOfMaps(before, after)
    ? diffListsOfMaps(before, after, meta)
    : diffListsOfScalars(before, after);
  if (changes.length > 0) patch[key] = changes;
  if (deletions.length > 0) patch[`${deleteFromPrimitiveListPrefix}/${key}`] = deletions;
  if (order !== undefined) patch[`${setElementOrderPrefix}/${key}`] = order;
}

/** Whether the lists hold maps; like Go's, a list mixing maps and other values is an error. */
function elementsOfMaps(before: readonly JsonValue[], after: readonly JsonValue[]): boolean {
  const all = [...before, ...after];
  const maps = all.filter(isJsonObject).length;
  if (maps > 0 && maps < all.length) throw new Error('types in the list do not match');
  return maps > 0;
}

interface ListDiff {
  readonly changes: JsonValue[];
  readonly deletions: JsonValue[];
  readonly order?: JsonValue[];
}

/** Go's `%v` of a scalar: how it sorts and matches merge keys and primitive list values. */
function text(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '<nil>';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function byText(a: JsonValue, b: JsonValue): number {
  const [x, y] = [text(a), text(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function mergeKeyOf(element: JsonValue, mergeKey: string): JsonValue {
  const value = isJsonObject(element) ? element[mergeKey] : undefined;
  if (value === undefined) {
    throw new Error(
      `map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`,
    );
  }
  return value;
}

function diffListsOfMaps(
  before: readonly JsonValue[],
  after: readonly JsonValue[],
  meta: FieldPatchMeta,
): ListDiff {
  const mergeKey = meta.mergeKey ?? '';
  const sortedByKey = (list: readonly JsonValue[]): JsonObject[] =>
    list
      .filter(isJsonObject)
      .sort((a, b) => byText(mergeKeyOf(a, mergeKey), mergeKeyOf(b, mergeKey)));
  const keyAt = (list: readonly JsonValue[], k: number): JsonValue | undefined => {
    const element = list[k];
    return element === undefined ? undefined : mergeKeyOf(element, mergeKey);
  };
  const [was, is] = [sortedByKey(before), sortedByKey(after)];
  const changes: JsonObject[] = [];
  const deletions: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < was.length || j < is.length) {
    const old = was[i];
    const now = is[j];
    const oldKey = old === undefined ? undefined : text(mergeKeyOf(old, mergeKey));
    const newKey = now === undefined ? undefined : text(mergeKeyOf(now, mergeKey));
    if (old !== undefined && now !== undefined && oldKey === newKey) {
      const changed = diffMaps(old, now, meta.fields, meta.retainKeys === true);
      if (Object.keys(changed).length > 0) {
        changes.push({ ...changed, [mergeKey]: mergeKeyOf(now, mergeKey) });
      }
      i++;
      j++;
    } else if (now !== undefined && (old === undefined || (oldKey ?? '') > (newKey ?? ''))) {
      changes.push(now);
      j++;
    } else if (old !== undefined) {
      deletions.push({ [mergeKey]: mergeKeyOf(old, mergeKey), [patchDirective]: 'delete' });
      i++;
    }
  }
  // In the edited list's order, then the deletions.
  const position = (element: JsonValue): number =>
    after.findIndex((a) => mergeKeyOf(a, mergeKey) === mergeKeyOf(element, mergeKey));
  const ordered: JsonValue[] = [...changes.sort((a, b) => position(a) - position(b)), ...deletions];
  const sameOrder =
    before.length === after.length && after.every((_, k) => keyAt(before, k) === keyAt(after, k));
  return {
    changes: ordered,
    deletions: [],
    ...((ordered.length > 0 || !sameOrder) && {
      order: after.map((a) => ({ [mergeKey]: mergeKeyOf(a, mergeKey) })),
    }),
  };
}

function diffListsOfScalars(before: readonly JsonValue[], after: readonly JsonValue[]): ListDiff {
  const [was, is] = [[...before].sort(byText), [...after].sort(byText)];
  const added: JsonValue[] = [];
  const removed: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < was.length || j < is.length) {
    const oldText = i < was.length ? text(was[i]) : undefined;
    const newText = j < is.length ? text(is[j]) : undefined;
    if (oldText !== undefined && oldText === newText) {
      i++;
      j++;
    } else if (newText !== undefined && (oldText === undefined || oldText > newText)) {
      added.push(is[j] ?? null);
      j++;
    } else {
      removed.push(was[i] ?? null);
      i++;
    }
  }
  const position = (value: JsonValue): number => after.findIndex((a) => a === value);
  const deletions = removed.filter((v, k) => removed.findIndex((w) => w === v) === k);
  return {
    changes: added.sort((a, b) => position(a) - position(b)),
    deletions,
    ...((deletions.length > 0 || !jsonEqual([...before], [...after])) && { order: [...after] }),
  };
}
