// Which schema describes which apiVersion + kind. Every row of the kinds table has one here,
// plus the kinds that are only ever subresource bodies (Binding, Scale).
import { customResourceDefinition } from './apiextensions-v1.js';
import { deployment, replicaSet } from './apps-v1.js';
import {
  binding,
  configMap,
  endpoints,
  event,
  namespace,
  node,
  secret,
  service,
} from './core-v1.js';
import { endpointSlice } from './discovery-v1.js';
import type { JsonSchema } from './json-schema.js';
import { pod } from './pod.js';
import { lease, scale } from './small-kinds.js';

const schemas: Record<string, JsonSchema> = {
  'v1/Pod': pod,
  'v1/Service': service,
  'v1/Endpoints': endpoints,
  'v1/Node': node,
  'v1/Namespace': namespace,
  'v1/Event': event,
  'v1/ConfigMap': configMap,
  'v1/Secret': secret,
  'v1/Binding': binding,
  'apps/v1/ReplicaSet': replicaSet,
  'apps/v1/Deployment': deployment,
  'autoscaling/v1/Scale': scale,
  'coordination.k8s.io/v1/Lease': lease,
  'discovery.k8s.io/v1/EndpointSlice': endpointSlice,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': customResourceDefinition,
};

/** The structural schema for a kind, or undefined when skiff does not know the kind. */
export function schemaFor(apiVersion: string, kind: string): JsonSchema | undefined {
  return Object.hasOwn(schemas, `${apiVersion}/${kind}`)
    ? schemas[`${apiVersion}/${kind}`]
    : undefined;
}

/** Every apiVersion + kind that has a schema, for error messages that list what is supported. */
export function schemaKinds(): { apiVersion: string; kind: string }[] {
  return Object.keys(schemas).map((key) => {
    const slash = key.lastIndexOf('/');
    return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1) };
  });
}
