// metadata.managedFields: which manager owns which fields (FieldsV1), recorded on every write.
export { FieldSet } from './field-set.js';
export { compareObjects, type Comparison } from './compare.js';
export {
  recordUpdate,
  decodeManagedFields,
  encodeManagedFields,
  type FieldManagerRequest,
  type ManagedEntry,
  type ManagedFieldsOperation,
  type WriteContext,
} from './managed-fields.js';
export { managerOf } from './manager-name.js';
export { recordApply } from './apply.js';
export { mergeApplied } from './merge.js';
export { rootType, type FieldType } from './schema.js';
export { ApplyError, type ApplyConflict } from './apply-error.js';
