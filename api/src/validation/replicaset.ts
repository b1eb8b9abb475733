// apps/v1 ReplicaSet.
import type { ReplicaSet } from '../types/index.js';
import { type FieldError, FieldPath } from './field-error.js';
import { validateImmutableField, validateNonnegativeField } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodTemplateForWorkload, validateWorkloadSelector } from './pod-template.js';

const specPath = FieldPath.root('spec');

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec ?? {};
  return [
    ...validateObjectMeta(rs.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateNonnegativeField(spec.replicas, specPath.child('replicas')),
    ...validateNonnegativeField(spec.minReadySeconds, specPath.child('minReadySeconds')),
    ...validateWorkloadSelector(spec.selector, specPath.child('selector')),
    ...validatePodTemplateForWorkload(spec.template, spec.selector, specPath.child('template')),
  ];
}

/** In apps/v1 the selector is fixed at creation: changing it would orphan the existing pods. */
export function validateReplicaSetUpdate(next: ReplicaSet, prev: ReplicaSet): FieldError[] {
  return [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateReplicaSet(next),
    ...validateImmutableField(next.spec?.selector, prev.spec?.selector, specPath.child('selector')),
  ];
}
