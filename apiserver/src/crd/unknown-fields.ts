// The fields of a custom resource its version does not know: what pruning would drop, and
// top-level metadata fields that are not ObjectMeta's (Kubernetes reports both). They are what
// fieldValidation=Warn warns about and Strict refuses; Ignore (and every built-in kind, see
// ../http/query-options.ts) drops them silently.
import { isPlainObject, type ApiObject } from '../registry/api-object.js';
import type { CompiledSchema } from './schema/compiled-schema.js';

const objectMetaFields = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** Sorted, as Kubernetes lists the fields it pruned. */
export function unknownFields(obj: ApiObject, schema: CompiledSchema): string[] {
  const metadata: unknown = obj.metadata;
  const unknownMeta = isPlainObject(metadata)
    ? Object.keys(metadata)
        .filter((key) => !objectMetaFields.has(key))
        .map((key) => `metadata.${key}`)
    : [];
  return [...unknownMeta, ...schema.unknownFields(obj)].sort();
}

/** Metadata as ObjectMeta decodes it: top-level fields it does not have are dropped. */
export function knownMetadata(metadata: ApiObject['metadata']): ApiObject['metadata'] {
  return Object.fromEntries(
    Object.entries(metadata).filter(([key]) => objectMetaFields.has(key)),
  ) as ApiObject['metadata'];
}
