// The directives a strategic merge patch may carry besides plain values. They are instructions to
// the merge, never data: none of them may survive into the patched object.
//
//   $patch: replace | delete          in a map: replace it whole / delete it
//                                     in a list element: replace the list / delete that element
//   $retainKeys: [k, …]               drop every key of this map not listed (kubectl apply, for
//                                     union fields like Deployment.spec.strategy)
//   $setElementOrder/<list>: [...]    the order of a merged list after the merge (kubectl apply)
//   $deleteFromPrimitiveList/<list>   values to remove from a merged list of primitives
import { malformedPatch } from './errors.js';
import {
  type JsonObject,
  type JsonValue,
  deleteField,
  hasField,
  isJsonObject,
  preview,
  setField,
} from './json.js';

export const patchDirective = '$patch';
export const retainKeysDirective = '$retainKeys';
export const setElementOrderPrefix = '$setElementOrder';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

/** The list a `$setElementOrder/<list>` or `$deleteFromPrimitiveList/<list>` key applies to. */
export function directiveTarget(key: string, prefix: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const slash = key.indexOf('/');
  if (slash !== prefix.length || slash === key.length - 1) {
    throw malformedPatch(`${preview(key)} is not a valid directive: it must be ${prefix}/<field>`);
  }
  return key.slice(slash + 1);
}

function isDirectiveKey(key: string): boolean {
  return (
    key === retainKeysDirective ||
    key.startsWith(`${setElementOrderPrefix}/`) ||
    key.startsWith(`${deleteFromPrimitiveListPrefix}/`)
  );
}

/**
 * A map carrying `$patch` where the merge reaches it: `replace` gives the map without the
 * directive, `delete` an empty map (the key stays, as in Kubernetes).
 */
export function applyMapDirective(patch: JsonObject, path: string): JsonObject {
  const directive = patch[patchDirective];
  if (directive === 'replace') {
    const { [patchDirective]: _directive, ...rest } = patch;
    const kept = withoutDirectives(rest);
    return isJsonObject(kept) ? kept : {};
  }
  if (directive === 'delete') return {};
  throw malformedPatch(
    `unknown ${patchDirective} directive ${preview(directive ?? null)} in the map at ${path || 'the top level'}: a map takes "replace" or "delete"`,
  );
}

/**
 * A patch value that lands without being merged (a new key, a replaced list, an appended list
 * element) loses its null members and its directives, as Kubernetes does since 1.28: a map that
 * carries `$patch` is dropped, and directive keys are removed. `undefined` means drop the value.
 */
export function withoutDirectives(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) {
    const kept: JsonValue[] = [];
    for (const item of value) {
      const cleaned = withoutDirectives(item);
      if (cleaned !== undefined) kept.push(cleaned);
    }
    return kept;
  }
  if (!isJsonObject(value)) return value;
  if (hasField(value, patchDirective)) return undefined;
  const cleaned: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || isDirectiveKey(key)) continue;
    const kept = withoutDirectives(item);
    if (kept !== undefined) setField(cleaned, key, kept);
  }
  return cleaned;
}

/**
 * Applies `$retainKeys`: every key of `original` not listed goes, and the patch may only set
 * listed keys (a patch that sets a key it also asks to drop contradicts itself).
 */
export function applyRetainKeys(original: JsonObject, patch: JsonObject, path: string): void {
  if (!hasField(patch, retainKeysDirective)) return;
  const listed = patch[retainKeysDirective] ?? null;
  deleteField(patch, retainKeysDirective);
  const where = path || 'the top level';
  if (!Array.isArray(listed)) {
    throw malformedPatch(`${retainKeysDirective} at ${where} must be a list of field names`);
  }
  const retained = new Set(listed.filter((k): k is string => typeof k === 'string'));
  for (const [key, value] of Object.entries(patch)) {
    if (
      value === null ||
      key.startsWith(setElementOrderPrefix) ||
      key.startsWith(deleteFromPrimitiveListPrefix)
    ) {
      continue;
    }
    if (!retained.has(key)) {
      throw malformedPatch(
        `the patch sets ${key} at ${where}, which its ${retainKeysDirective} list ${preview(listed)} would drop`,
      );
    }
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) deleteField(original, key);
  }
}

/**
 * Splits the `$patch` elements off a patch list merged by `mergeKey`: `delete` elements remove
 * their match from the original, and a `replace` element makes the rest of the patch the new list.
 */
export function applyListDirectives(
  original: JsonValue[],
  patch: JsonObject[],
  mergeKey: string,
  path: string,
): { original: JsonValue[]; patch: JsonObject[] } {
  const plain: JsonObject[] = [];
  let remaining = original;
  let replace = false;
  for (const element of patch) {
    if (!hasField(element, patchDirective)) {
      plain.push(element);
      continue;
    }
    const directive = element[patchDirective] ?? null;
    if (directive === 'delete') {
      if (!hasField(element, mergeKey)) {
        throw malformedPatch(
          `the ${patchDirective}: delete element ${preview(element)} in ${path} lacks the merge key ${mergeKey}`,
        );
      }
      const doomed = element[mergeKey];
      remaining = remaining.filter((item) => !(isJsonObject(item) && item[mergeKey] === doomed));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      // Kubernetes has never implemented it; saying so beats silently merging.
      throw malformedPatch(
        `${patchDirective}: merge in list ${path} is not supported: lists with merge metadata already merge`,
      );
    } else {
      throw malformedPatch(
        `unknown ${patchDirective} directive ${preview(directive)} in list ${path}: a list element takes "replace" or "delete"`,
      );
    }
  }
  if (replace) {
    return { original: plain.map((e) => withoutDirectives(e) ?? {}), patch: [] };
  }
  return { original: remaining, patch: plain };
}
