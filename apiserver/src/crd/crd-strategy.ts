// The strategy of CustomResourceDefinitions themselves. Status is the apiserver's (names granted,
// conditions, stored versions). Deleting a CRD does not remove it at once: it gets the
// `customresourcecleanup.apiextensions.k8s.io` finalizer and a Terminating condition, and the
// CRD controller (./crd-controller.ts) deletes its objects and then drops the finalizer, so no
// custom resource outlives its definition in storage.
import type { CustomResourceDefinition, CustomResourceDefinitionCondition } from '@skiff/api';
import { asKind } from '../registry/api-object.js';
import { defaultStrategy, type Strategy } from '../registry/strategy.js';
import { storageVersionOf } from './kinds.js';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** Every version ever used for storage stays listed until a migration removes it. */
function recordStorageVersion(crd: CustomResourceDefinition): void {
  const storage = storageVersionOf(crd)?.name;
  if (storage === undefined) return;
  const status = (crd.status ??= {});
  const stored = status.storedVersions ?? [];
  if (!stored.includes(storage)) status.storedVersions = [...stored, storage];
}

export function crdStrategy(): Strategy {
  const base = defaultStrategy(true);
  return {
    ...base,
    prepareForCreate(obj, env) {
      base.prepareForCreate(obj, env);
      recordStorageVersion(asKind<CustomResourceDefinition>(obj));
    },
    prepareForUpdate(next, prev) {
      base.prepareForUpdate(next, prev);
      recordStorageVersion(asKind<CustomResourceDefinition>(next));
    },
    onDeletionStarted(obj) {
      const crd = asKind<CustomResourceDefinition>(obj);
      const finalizers = crd.metadata.finalizers ?? [];
      if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) {
        crd.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
      }
      const terminating: CustomResourceDefinitionCondition = {
        type: 'Terminating',
        status: 'True',
        lastTransitionTime: crd.metadata.deletionTimestamp,
        reason: 'InstanceDeletionInProgress',
        message: 'CustomResource deletion is in progress',
      };
      const conditions = crd.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Terminating' && c.status === 'True')) {
        crd.status = {
          ...crd.status,
          conditions: [...conditions.filter((c) => c.type !== 'Terminating'), terminating],
        };
      }
    },
  };
}
