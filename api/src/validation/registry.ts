// Entry points: validate any object on create or update by its apiVersion and kind. The table
// is the one place that says which rules apply to which kind.
import type { ObjectMeta } from '../types/index.js';
import { validateConfigMap, validateConfigMapUpdate } from './configmap.js';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './crd.js';
import { validateDeployment, validateDeploymentUpdate } from './deployment.js';
import { validateEndpoints, validateEndpointsUpdate } from './endpoints.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.js';
import { validateEvent, validateEventUpdate } from './event.js';
import type { FieldError } from './field-error.js';
import { validateLease, validateLeaseUpdate } from './lease.js';
import { validateNamespace, validateNamespaceUpdate } from './namespace.js';
import { validateNode, validateNodeUpdate } from './node.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePod, validatePodUpdate } from './pod.js';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset.js';
import { validateSecret, validateSecretUpdate } from './secret.js';
import { validateService, validateServiceUpdate } from './service.js';

/** Any API object: what the dispatcher needs to pick the rules. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

interface KindValidation {
  create(obj: unknown): FieldError[];
  update(next: unknown, prev: unknown): FieldError[];
}

/**
 * Objects reach validation after schema validation, so their shape is their kind's type; the
 * one cast from `unknown` lives here.
 */
function rules<T>(
  create: (obj: T) => FieldError[],
  update: (next: T, prev: T) => FieldError[],
): KindValidation {
  return {
    create: (obj) => create(obj as T),
    update: (next, prev) => update(next as T, prev as T),
  };
}

const byKind: ReadonlyMap<string, KindValidation> = new Map([
  ['v1/Pod', rules(validatePod, validatePodUpdate)],
  ['v1/Service', rules(validateService, validateServiceUpdate)],
  ['v1/Endpoints', rules(validateEndpoints, validateEndpointsUpdate)],
  ['v1/Node', rules(validateNode, validateNodeUpdate)],
  ['v1/Namespace', rules(validateNamespace, validateNamespaceUpdate)],
  ['v1/Event', rules(validateEvent, validateEventUpdate)],
  ['v1/ConfigMap', rules(validateConfigMap, validateConfigMapUpdate)],
  ['v1/Secret', rules(validateSecret, validateSecretUpdate)],
  ['apps/v1/ReplicaSet', rules(validateReplicaSet, validateReplicaSetUpdate)],
  ['apps/v1/Deployment', rules(validateDeployment, validateDeploymentUpdate)],
  ['coordination.k8s.io/v1/Lease', rules(validateLease, validateLeaseUpdate)],
  ['discovery.k8s.io/v1/EndpointSlice', rules(validateEndpointSlice, validateEndpointSliceUpdate)],
  [
    'apiextensions.k8s.io/v1/CustomResourceDefinition',
    rules(validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate),
  ],
]);

export interface ValidateOptions {
  /**
   * For kinds without rules here (custom resources): whether the kind is namespaced, from its
   * CRD's scope. Only the object's metadata is checked for such kinds.
   */
  readonly namespaced?: boolean;
}

function rulesFor(obj: ApiObject, opts: ValidateOptions): KindValidation {
  const known = byKind.get(`${obj.apiVersion ?? ''}/${obj.kind ?? ''}`);
  if (known) return known;
  const meta = (o: unknown): ObjectMeta | undefined => (o as ApiObject).metadata;
  return {
    create: (o) => {
      // Without a scope, trust the object: a namespace present is checked as one.
      const namespaced = opts.namespaced ?? !!meta(o)?.namespace;
      return validateObjectMeta(meta(o), { namespaced, nameFn: nameIsDNSSubdomain });
    },
    update: (n, p) => validateObjectMetaUpdate(meta(n), meta(p)),
  };
}

/** Every rule `obj` breaks on create; empty when it is valid. */
export function validateCreate(obj: ApiObject, opts: ValidateOptions = {}): FieldError[] {
  return rulesFor(obj, opts).create(obj);
}

/** Every rule `next` breaks as a replacement for `prev` (create rules included). */
export function validateUpdate(
  next: ApiObject,
  prev: ApiObject,
  opts: ValidateOptions = {},
): FieldError[] {
  return rulesFor(next, opts).update(next, prev);
}

/** Whether skiff has kind-specific rules for `apiVersion`/`kind`. */
export function hasValidationFor(apiVersion: string, kind: string): boolean {
  return byKind.has(`${apiVersion}/${kind}`);
}
