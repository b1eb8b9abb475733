// What the field manager needs to know about a kind's shape: which lists are list-maps (and by
// which keys), which are sets, which maps are atomic. List semantics come from the strategic
// merge table the PATCH handler and the OpenAPI documents use (../patch/patch-meta.ts), so the
// three agree; the few differences between a strategic merge key and server-side apply's
// list-map-keys are corrected here, as facts from Kubernetes' types. A custom resource's come
// from its CRD's structural schema (x-kubernetes-list-type, -list-map-keys, -map-type), as
// kube-apiserver builds its type from it; its metadata is ObjectMeta whatever the schema says.
import type { JSONSchemaProps } from '@skiff/api';
import {
  fieldMeta,
  type FieldPatchMeta,
  objectMeta,
  patchMetaForKind,
} from '../patch/patch-meta.js';

export interface FieldType {
  readonly meta: FieldPatchMeta;
  /** The struct-field path from the object's root, to recognize atomic maps. */
  readonly fieldPath: readonly string[];
  readonly atomicMaps: ReadonlySet<string>;
  /**
   * For a custom resource, its schema at this field (`{}` where the schema says nothing, as
   * under x-kubernetes-preserve-unknown-fields): it decides instead of `meta`.
   */
  readonly schema?: JSONSchemaProps;
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

/**
 * The root type of a kind. A custom resource's comes from `schema`, its version's
 * openAPIV3Schema; without one every list of it is atomic.
 */
export function rootType(apiVersion: string, kind: string, schema?: JSONSchemaProps): FieldType {
  const fields = patchMetaForKind(apiVersion, kind);
  return {
    meta: fields ? { fields } : {},
    fieldPath: [],
    atomicMaps: atomicMapsByKind[`${apiVersion}/${kind}`] ?? noAtomicMaps,
    ...(fields === undefined && schema !== undefined ? { schema } : {}),
  };
}

const unknownSchema: JSONSchemaProps = {};

/** The type of a struct field or map entry. */
export function fieldType(parent: FieldType, name: string): FieldType {
  const fieldPath = [...parent.fieldPath, name];
  const { schema } = parent;
  if (schema === undefined) {
    return { meta: fieldMeta(parent.meta.fields, name), fieldPath, atomicMaps: parent.atomicMaps };
  }
  if (parent.fieldPath.length === 0 && name === 'metadata') {
    return { meta: { fields: objectMeta }, fieldPath, atomicMaps: noAtomicMaps };
  }
  const additional = schema.additionalProperties;
  const child =
    (schema.properties && Object.hasOwn(schema.properties, name)
      ? schema.properties[name]
      : undefined) ?? (typeof additional === 'object' ? additional : unknownSchema);
  return { meta: {}, fieldPath, atomicMaps: parent.atomicMaps, schema: child };
}

/** The type of a list's elements. */
export function elementType(list: FieldType): FieldType {
  if (list.schema !== undefined) {
    const items = list.schema.items;
    return {
      meta: {},
      fieldPath: list.fieldPath,
      atomicMaps: list.atomicMaps,
      schema: items !== undefined && !Array.isArray(items) ? items : unknownSchema,
    };
  }
  return {
    meta: { ...(list.meta.fields ? { fields: list.meta.fields } : {}) },
    fieldPath: list.fieldPath,
    atomicMaps: list.atomicMaps,
  };
}

export function listKind(type: FieldType): ListKind {
  if (type.schema !== undefined) {
    // A CRD's lists are atomic unless their schema says otherwise.
    switch (type.schema['x-kubernetes-list-type']) {
      case 'map':
        return { keys: type.schema['x-kubernetes-list-map-keys'] ?? [] };
      case 'set':
        return 'set';
      default:
        return 'atomic';
    }
  }
  const { mergeKey, strategy } = type.meta;
  if (mergeKey !== undefined) return { keys: listMapKeysByMergeKey[mergeKey] ?? [mergeKey] };
  return strategy === 'merge' ? 'set' : 'atomic';
}

export function isAtomicMap(type: FieldType): boolean {
  if (type.schema !== undefined) return type.schema['x-kubernetes-map-type'] === 'atomic';
  return type.atomicMaps.has(type.fieldPath.join('.'));
}
