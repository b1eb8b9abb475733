// The one entry the apiserver calls for PATCH: picks the format from the Content-Type.
import { unsupportedPatchType } from './errors.js';
import { applyJsonPatch } from './json-patch.js';
import type { JsonObject } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import {
  jsonPatchType,
  mediaTypeOf,
  mergePatchType,
  strategicMergePatchType,
} from './patch-types.js';
import { patchMetaForKind } from './patch-meta.js';
import { type PatchTarget, applyStrategicMergePatch } from './strategic-merge-patch.js';

/**
 * Applies a PATCH body to an object of `target`'s kind and returns the patched object; neither
 * `original` nor `patch` is modified. Throws PatchError (400, 413, 415 or 422).
 */
export function applyPatch(
  contentType: string,
  original: unknown,
  patch: unknown,
  target: PatchTarget,
): JsonObject {
  switch (mediaTypeOf(contentType)) {
    case jsonPatchType:
      return applyJsonPatch(original, patch);
    case mergePatchType:
      return applyMergePatch(original, patch);
    case strategicMergePatchType:
      return applyStrategicMergePatch(original, patch, target);
    default:
      throw unsupportedPatchType(acceptedPatchTypes(target));
  }
}

/** The patch Content-Types a kind accepts: strategic merge patch only for built-in kinds. */
export function acceptedPatchTypes(target: PatchTarget): string[] {
  const builtIn = patchMetaForKind(target.apiVersion, target.kind) !== undefined;
  return builtIn
    ? [jsonPatchType, mergePatchType, strategicMergePatchType]
    : [jsonPatchType, mergePatchType];
}
