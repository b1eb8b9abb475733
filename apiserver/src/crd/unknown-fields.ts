// The fields of a custom resource its version does not know: what pruning would drop, and
// top-level metadata fields that are not ObjectMeta's (Kubernetes reports both). They are what
// fieldValidation=Warn warns about and Strict refuses; Ignore (and every built-in kind, see
// ../http/query-options.ts) drops them silently.
import { isPlainObject, type ApiObject } from '../registry/api-object.js';

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

/**
 * Tells `report` the unknown fields of `obj` (its unknown metadata fields and `pruned`, the
 * paths its schema pruned), sorted as Kubernetes lists them; says nothing when there are none.
 */
export function reportUnknownFields(
  obj: ApiObject,
  pruned: readonly string[],
  report: (paths: readonly string[]) => void,
): void {
  const metadata: unknown = obj.metadata;
  const unknownMeta = isPlainObject(metadata)
    ? Object.keys(metadata)
        .filter((key) => !objectMetaFields.has(key))
        .map((key) => `metadata.${key}`)
    : [];
  const paths = [...unknownMeta, ...pruned].sort();
  if (paths.length > 0) report(paths);
}

/** Metadata as ObjectMeta decodes it: top-level fields it does not have are dropped. */
export function knownMetadata(metadata: ApiObject['metadata']): ApiObject['metadata'] {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => objectMetaFields.has(key)));
}
