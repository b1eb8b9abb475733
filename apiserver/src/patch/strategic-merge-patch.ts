// Strategic merge patch: `application/strategic-merge-patch+json`, Kubernetes' own patch format
// and the default of `kubectl patch`, `kubectl apply` and `kubectl edit` for built-in kinds. It is
// a merge patch whose lists merge element by element where the type's metadata says so (see
// patch-meta.ts) and which understands the directives in directives.ts. The merge follows
// k8s.io/apimachinery/pkg/util/strategicpatch (server side: parallel lists merged, unmatched nulls
// ignored) so that a patch means the same here as on a real cluster.
import {
  applyListDirectives,
  applyMapDirective,
  applyRetainKeys,
  deleteFromPrimitiveListPrefix,
  directiveTarget,
  patchDirective,
  setElementOrderPrefix,
  withoutDirectives,
} from './directives.js';
import { identityOf, normalizeElementOrder, partitionByPresence } from './element-order.js';
import { malformedPatch, patchDoesNotApply, unsupportedPatchType } from './errors.js';
import {
  type JsonObject,
  type JsonValue,
  copyJson,
  deleteField,
  describeType,
  hasField,
  isJsonObject,
  preview,
  setField,
} from './json.js';
import {
  type FieldPatchMeta,
  type StructPatchMeta,
  fieldMeta,
  patchMetaForKind,
} from './patch-meta.js';
import { jsonPatchType, mergePatchType } from './patch-types.js';

export interface PatchTarget {
  readonly apiVersion: string;
  readonly kind: string;
}

export function applyStrategicMergePatch(
  original: unknown,
  patchDocument: unknown,
  target: PatchTarget,
): JsonObject {
  const meta = patchMetaForKind(target.apiVersion, target.kind);
  if (meta === undefined) {
    // Custom resources have no Go struct tags to merge lists by, so Kubernetes refuses them.
    throw unsupportedPatchType([jsonPatchType, mergePatchType]);
  }
  const patch = copyJson(patchDocument, 'patch');
  if (!isJsonObject(patch)) throw malformedPatch('a strategic merge patch must be a JSON object');
  const object = copyJson(original, 'original object');
  if (!isJsonObject(object)) throw new TypeError('the original of a patch must be a JSON object');
  return mergeMap(object, patch, meta, '');
}

/** Merges `patch` into `original` (both working copies, mutated in place). */
function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  struct: StructPatchMeta | undefined,
  path: string,
): JsonObject {
  if (hasField(patch, patchDirective)) return applyMapDirective(patch, path);
  applyRetainKeys(original, patch, path);
  mergeOrderedLists(original, patch, struct, path);

  for (const [key, patchValue] of Object.entries(patch)) {
    const deleteListTarget = directiveTarget(key, deleteFromPrimitiveListPrefix);
    const field = deleteListTarget ?? key;
    const isDeleteList = deleteListTarget !== undefined;
    const fieldPath = join(path, field);

    if (patchValue === null) {
      deleteField(original, field);
      continue;
    }
    const current = original[field];
    if (current === undefined || describeType(current) !== describeType(patchValue)) {
      // Nothing to merge with: the patch value lands as it is (but a deletion list never does).
      if (!isDeleteList) put(original, field, patchValue);
      continue;
    }
    const meta = fieldMeta(struct, field);
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      setField(
        original,
        field,
        meta.strategy === 'replace'
          ? cleaned(patchValue)
          : mergeMap(current, patchValue, meta.fields, fieldPath),
      );
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      setField(original, field, mergeListField(current, patchValue, meta, isDeleteList, fieldPath));
    } else {
      setField(original, field, patchValue);
    }
  }
  return original;
}

function mergeListField(
  original: JsonValue[],
  patch: JsonValue[],
  meta: FieldPatchMeta,
  isDeleteList: boolean,
  path: string,
): JsonValue[] {
  if (meta.strategy !== 'merge') {
    // Kubernetes would quietly put the deletion list in place of the field; refusing is clearer.
    if (isDeleteList) throw notAPrimitiveMergeList(path);
    // Without merge metadata a list is atomic, exactly as in a JSON merge patch.
    return cleanedList(patch);
  }
  return mergeList(original, patch, meta, isDeleteList, path);
}

function mergeList(
  original: JsonValue[],
  patch: JsonValue[],
  meta: FieldPatchMeta,
  isDeleteList: boolean,
  path: string,
): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const mergeKey = meta.mergeKey ?? '';

  if (elementsAreMaps([original, patch], path)) {
    if (isDeleteList) throw notAPrimitiveMergeList(path);
    if (mergeKey === '') {
      throw malformedPatch(`${path} is a list of maps without a merge key, so it cannot be merged`);
    }
    const patchMaps = patch.filter(isJsonObject);
    const split = applyListDirectives(original, patchMaps, mergeKey, path);
    const merged = mergeByKey(split.original, split.patch, mergeKey, meta.fields, path);
    const { named, others } = partitionByPresence(merged, split.patch, mergeKey, path);
    return normalizeElementOrder(named, others, split.patch, split.original, mergeKey, path);
  }

  if (isDeleteList) return original.filter((item) => !patch.includes(item));
  // A merged list of primitives is a set: the union, each value once.
  const merged = [...new Set([...original, ...patch])];
  const { named, others } = partitionByPresence(merged, patch, mergeKey, path);
  return normalizeElementOrder(named, others, patch, original, mergeKey, path);
}

/** Patch elements merge into the original element with the same merge key, or are appended. */
function mergeByKey(
  original: JsonValue[],
  patch: JsonObject[],
  mergeKey: string,
  elementMeta: StructPatchMeta | undefined,
  path: string,
): JsonValue[] {
  const merged = [...original];
  for (const element of patch) {
    const identity = identityOf(element, mergeKey, path);
    const at = merged.findIndex((item) => isJsonObject(item) && item[mergeKey] === identity);
    const match = merged[at];
    if (isJsonObject(match)) {
      merged[at] = mergeMap(
        match,
        element,
        elementMeta,
        `${path}[${mergeKey}=${preview(identity)}]`,
      );
    } else {
      merged.push(cleaned(element));
    }
  }
  return merged;
}

/**
 * Handles every `$setElementOrder/<list>` of this map: merges the list it names and puts the result
 * in the order given, leaving server-only elements where the server had them. The list is then
 * done, so it is removed from the patch.
 */
function mergeOrderedLists(
  original: JsonObject,
  patch: JsonObject,
  struct: StructPatchMeta | undefined,
  path: string,
): void {
  for (const [key, order] of Object.entries(patch)) {
    const field = directiveTarget(key, setElementOrderPrefix);
    if (field === undefined) continue;
    deleteField(patch, key);
    const fieldPath = join(path, field);
    if (!Array.isArray(order))
      throw malformedPatch(`${key} at ${path || 'the top level'} must be a list`);

    const current = original[field];
    const patchList = patch[field];
    if (current !== undefined && !Array.isArray(current)) {
      throw malformedPatch(
        `${key} orders ${fieldPath}, which is a ${describeType(current)}, not a list`,
      );
    }
    if (patchList !== undefined && !Array.isArray(patchList)) {
      throw malformedPatch(
        `${key} orders ${fieldPath}, but the patch sets it to ${preview(patchList)}`,
      );
    }
    const meta = fieldMeta(struct, field);
    const mergeKey = meta.mergeKey ?? '';
    checkOrderCoversPatch(patchList ?? [], order, mergeKey, key, fieldPath);

    let merged: JsonValue[];
    if (current !== undefined && patchList !== undefined) {
      merged = mergeListField(current, patchList, meta, false, fieldPath);
    } else if (patchList !== undefined) {
      merged = cleanedList(patchList);
    } else if (current !== undefined) {
      merged = current;
    } else {
      continue;
    }
    if (merged.length > 0) elementsAreMaps([merged], fieldPath);
    const { named, others } = partitionByPresence(merged, order, mergeKey, fieldPath);
    setField(
      original,
      field,
      normalizeElementOrder(named, others, order, current ?? [], mergeKey, fieldPath),
    );
    deleteField(patch, field);
  }
}

/**
 * The elements a patch list sets must all appear in its `$setElementOrder` list, in the same
 * relative order (directive elements aside): otherwise the order list cannot be obeyed.
 */
function checkOrderCoversPatch(
  patchList: readonly JsonValue[],
  order: readonly JsonValue[],
  mergeKey: string,
  key: string,
  path: string,
): void {
  if (order.length === 0) return;
  const plain = patchList.filter((item) => !(isJsonObject(item) && hasField(item, patchDirective)));
  let o = 0;
  for (const item of plain) {
    const identity = identityOf(item, mergeKey, path);
    while (o < order.length && identityOf(order[o] ?? null, mergeKey, path) !== identity) o++;
    if (o === order.length) {
      throw malformedPatch(
        `the order of ${path} in the patch does not match its ${key} list: ${preview(item)} is missing or out of order`,
      );
    }
    o++;
  }
}

/**
 * Whether the elements of these lists (together) are maps; they must all be of one kind, and
 * Kubernetes has no lists of lists.
 */
function elementsAreMaps(lists: readonly (readonly JsonValue[])[], path: string): boolean {
  const kinds = new Set(lists.flat().map(describeType));
  if (kinds.has('list')) throw patchDoesNotApply(`${path}: lists of lists are not supported`);
  if (kinds.size > 1) {
    throw malformedPatch(
      `${path} mixes element types (${[...kinds].join(', ')}), so it cannot be merged`,
    );
  }
  return kinds.has('map');
}

function notAPrimitiveMergeList(path: string): Error {
  return malformedPatch(
    `${deleteFromPrimitiveListPrefix} cannot apply to ${path}: it is not a merged list of primitives`,
  );
}

function put(object: JsonObject, field: string, value: JsonValue): void {
  const kept = withoutDirectives(value);
  if (kept === undefined) deleteField(object, field);
  else setField(object, field, kept);
}

function cleaned(value: JsonObject): JsonObject {
  const kept = withoutDirectives(value);
  return isJsonObject(kept) ? kept : {};
}

function cleanedList(list: JsonValue[]): JsonValue[] {
  const kept = withoutDirectives(list);
  return Array.isArray(kept) ? kept : [];
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}
