// What the field manager needs to know about a kind's shape: which lists are list-maps (and by
// which keys), which are sets, which maps are atomic. List semantics come from the strategic
// merge table the PATCH handler and the OpenAPI documents use (../patch/patch-meta.ts), so the
// three agree; the few differences between a strategic merge key and server-side apply's
// list-map-keys are corrected here, as facts from Kubernetes' types.
import { fieldMeta, type FieldPatchMeta, patchMetaForKind } from '../patch/patch-meta.js';

export interface FieldType {
  readonly meta: FieldPatchMeta;
  /** The struct-field path from the object's root, to recognize atomic maps. */
  readonly fieldPath: readonly string[];
  readonly atomicMaps: ReadonlySet<string>;
}

export type ListKind = { readonly keys: readonly string[] } | 'set' | 'atomic';

// Strategic merge patch identifies these list elements by one field, server-side apply by two
// (`+listMapKey=containerPort` and `+listMapKey=protocol` in core/v1).
const listMapKeysByMergeKey: Readonly<Record<string, readonly string[]>> = {
  containerPort: ['containerPort', 'protocol'],
  port: ['port', 'protocol'],
};

// LabelSelectors of workloads are `x-kubernetes-map-type: atomic`: one manager owns the whole.
const workloadAtomicMaps = new Set(['spec.selector']);
const atomicMapsByKind: Readonly<Record<string, ReadonlySet<string>>> = {
  'apps/v1/Deployment': workloadAtomicMaps,
  'apps/v1/ReplicaSet': workloadAtomicMaps,
  'apps/v1/StatefulSet': workloadAtomicMaps,
  'apps/v1/DaemonSet': workloadAtomicMaps,
};
const noAtomicMaps: ReadonlySet<string> = new Set();

/** The root type of a kind; custom resources get no list semantics (every list is atomic). */
export function rootType(apiVersion: string, kind: string): FieldType {
  const fields = patchMetaForKind(apiVersion, kind);
  return {
    meta: fields ? { fields } : {},
    fieldPath: [],
    atomicMaps: atomicMapsByKind[`${apiVersion}/${kind}`] ?? noAtomicMaps,
  };
}

/** The type of a struct field or map entry. */
export function fieldType(parent: FieldType, name: string): FieldType {
  return {
    meta: fieldMeta(parent.meta.fields, name),
    fieldPath: [...parent.fieldPath, name],
    atomicMaps: parent.atomicMaps,
  };
}

/** The type of a list's elements. */
export function elementType(list: FieldType): FieldType {
  return {
    meta: { ...(list.meta.fields ? { fields: list.meta.fields } : {}) },
    fieldPath: list.fieldPath,
    atomicMaps: list.atomicMaps,
  };
}

export function listKind(type: FieldType): ListKind {
  const { mergeKey, strategy } = type.meta;
  if (mergeKey !== undefined) return { keys: listMapKeysByMergeKey[mergeKey] ?? [mergeKey] };
  return strategy === 'merge' ? 'set' : 'atomic';
}

export function isAtomicMap(type: FieldType): boolean {
  return type.atomicMaps.has(type.fieldPath.join('.'));
}
