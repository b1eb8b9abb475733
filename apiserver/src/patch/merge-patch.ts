// JSON Merge Patch (RFC 7386): `application/merge-patch+json`, what `kubectl scale`, `kubectl
// label` and `kubectl patch --type merge` send, and the only merge format custom resources accept.
// Maps merge recursively, null deletes a key, and anything else (lists included) replaces.
import { malformedPatch } from './errors.js';
import {
  type JsonObject,
  type JsonValue,
  copyJson,
  deleteField,
  hasField,
  isJsonObject,
  setField,
} from './json.js';

export function applyMergePatch(original: unknown, patchDocument: unknown): JsonObject {
  const patch = copyJson(patchDocument, 'patch');
  if (!isJsonObject(patch)) {
    throw malformedPatch('a merge patch for an object must be a JSON object');
  }
  const target = copyJson(original, 'original object');
  if (!isJsonObject(target))
    throw new TypeError('the original of a merge patch must be a JSON object');
  return mergeInto(target, patch);
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value === null) {
      deleteField(target, key);
    } else if (isJsonObject(value) && hasField(target, key) && isJsonObject(current)) {
      mergeInto(current, value);
    } else {
      setField(target, key, withoutNulls(value));
    }
  }
  return target;
}

/**
 * A value that lands whole still loses its null members: in RFC 7386 that is merging into
 * nothing, and Kubernetes (evanphx/json-patch) also prunes them from maps inside lists.
 */
function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const pruned: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null) setField(pruned, key, withoutNulls(item));
  }
  return pruned;
}
