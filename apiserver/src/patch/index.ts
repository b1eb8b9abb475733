// PATCH for the apiserver: JSON patch, JSON merge patch and strategic merge patch, as pure
// functions over parsed JSON. The apiserver turns a PatchError into a metav1.Status. Also the
// package's `@skiff/apiserver/patch` entry: clients that compute strategic merge patches (skiff
// edit, as kubectl's edit does) read the same patch metadata and directives from here.
export { applyPatch, acceptedPatchTypes } from './apply-patch.js';
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch, type PatchTarget } from './strategic-merge-patch.js';
export {
  PatchError,
  unsupportedPatchType,
  type PatchErrorCode,
  type PatchErrorReason,
} from './errors.js';
export {
  jsonPatchType,
  mergePatchType,
  strategicMergePatchType,
  type PatchType,
} from './patch-types.js';
export type { JsonObject, JsonValue } from './json.js';
export { jsonEqual, isJsonObject } from './json.js';
export {
  fieldMeta,
  patchMetaForKind,
  type FieldPatchMeta,
  type StructPatchMeta,
} from './patch-meta.js';
export {
  deleteFromPrimitiveListPrefix,
  patchDirective,
  retainKeysDirective,
  setElementOrderPrefix,
} from './directives.js';
