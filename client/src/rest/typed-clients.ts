// `client.pods(ns)`, `client.deployments(ns)`, `client.nodes()`: one helper per row of the
// kinds table in @skiff/api, made by a loop, so a kind added there gets its helper here for
// free. TypeScript cannot read types out of a runtime table, so the object type each helper
// returns is declared once below; a test checks the two lists agree.
import {
  builtinKinds,
  type ConfigMap,
  type CustomResourceDefinition,
  type Deployment,
  type Endpoints,
  type EndpointSlice,
  type Event,
  type KindInfo,
  type Lease,
  type Namespace,
  type Node,
  type Pod,
  type ReplicaSet,
  type Secret,
  type Service,
} from '@skiff/api';
import type { ResourceClient } from './resource-client.js';

export interface NamespacedKinds {
  pods: Pod;
  services: Service;
  endpoints: Endpoints;
  events: Event;
  configMaps: ConfigMap;
  secrets: Secret;
  replicaSets: ReplicaSet;
  deployments: Deployment;
  leases: Lease;
  endpointSlices: EndpointSlice;
}

export interface ClusterKinds {
  nodes: Node;
  namespaces: Namespace;
  customResourceDefinitions: CustomResourceDefinition;
}

export type TypedClients = {
  /** Omit the namespace for the client's default one; ALL_NAMESPACES lists and watches all. */
  readonly [K in keyof NamespacedKinds]: (namespace?: string) => ResourceClient<NamespacedKinds[K]>;
} & {
  readonly [K in keyof ClusterKinds]: () => ResourceClient<ClusterKinds[K]>;
};

/** Pass as the namespace to list or watch across all namespaces. */
export const ALL_NAMESPACES = '';

/** `ConfigMap` + `configmaps` → `configMaps`: the resource, with the kind's capitals. */
export function helperName(kind: KindInfo): string {
  const singular = kind.kind.charAt(0).toLowerCase() + kind.kind.slice(1);
  return kind.resource.startsWith(singular.toLowerCase())
    ? singular + kind.resource.slice(singular.length)
    : kind.resource;
}

export function typedClients(
  forKind: (kind: KindInfo, namespace: string | undefined) => ResourceClient<object>,
  defaultNamespace: string,
): TypedClients {
  const helpers: Record<string, (namespace?: string) => ResourceClient<object>> = {};
  for (const kind of builtinKinds) {
    helpers[helperName(kind)] = kind.namespaced
      ? (namespace = defaultNamespace) => forKind(kind, namespace || undefined)
      : () => forKind(kind, undefined);
  }
  // Sound as long as the interfaces above list the kinds table's rows; kinds.test.ts checks.
  return helpers as unknown as TypedClients;
}
