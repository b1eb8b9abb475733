// applyDefaults: fill in what Kubernetes fills in when an object is created or updated, so
// that what is stored (and what controllers read) is complete. One defaulter per kind.
import { isPlainObject, withoutNulls } from '../schema/without-nulls.js';
import { defaultEndpointSlice } from './endpointslice.js';
import { defaultPod } from './pod.js';
import { defaultService } from './service.js';
import {
  defaultCustomResourceDefinition,
  defaultEndpoints,
  defaultNamespace,
  defaultNode,
  defaultSecret,
  nothingToDefault,
} from './small-kinds.js';
import { defaultDeployment, defaultReplicaSet } from './workloads.js';

type Defaulter = (obj: Record<string, unknown>) => void;

// Each defaulter is written against its kind's type; the object reaching it has passed
// validateStructure, so the cast only names what the schema already checked.
function forKind<T>(defaulter: (obj: T) => void): Defaulter {
  return (obj) => defaulter(obj as T);
}

const defaulters: Record<string, Defaulter> = {
  'v1/Pod': forKind(defaultPod),
  'v1/Service': forKind(defaultService),
  'v1/Endpoints': forKind(defaultEndpoints),
  'v1/Node': forKind(defaultNode),
  'v1/Namespace': forKind(defaultNamespace),
  'v1/Event': nothingToDefault,
  'v1/ConfigMap': nothingToDefault,
  'v1/Secret': forKind(defaultSecret),
  'apps/v1/ReplicaSet': forKind(defaultReplicaSet),
  'apps/v1/Deployment': forKind(defaultDeployment),
  'coordination.k8s.io/v1/Lease': nothingToDefault,
  'discovery.k8s.io/v1/EndpointSlice': forKind(defaultEndpointSlice),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': forKind(defaultCustomResourceDefinition),
};

/** True when a built-in kind has a defaulter (every row of the kinds table should). */
export function hasDefaulter(apiVersion: string, kind: string): boolean {
  return Object.hasOwn(defaulters, `${apiVersion}/${kind}`);
}

/**
 * Returns a defaulted copy; the input is never modified. Call it after validateStructure:
 * defaulters trust the shape the schema checked. Null-valued fields are dropped, as Kubernetes'
 * decoder drops them. Kinds without a built-in defaulter (custom resources) come back as a
 * plain copy: their defaults come from their CRD's schema.
 */
export function applyDefaults<T>(obj: T): T {
  const copy = withoutNulls(obj);
  if (isPlainObject(copy) && typeof copy.apiVersion === 'string' && typeof copy.kind === 'string') {
    const key = `${copy.apiVersion}/${copy.kind}`;
    if (Object.hasOwn(defaulters, key)) defaulters[key]?.(copy);
  }
  return copy as T;
}
