// Defaults for the kinds that need only a line or two.
import type {
  CustomResourceDefinition,
  Endpoints,
  Namespace,
  Node,
  Secret,
} from '../types/index.js';
import { quantitiesAsStrings } from './pod-spec.js';

/**
 * The `kubernetes` finalizer holds a deleted namespace in Terminating until the namespace
 * controller has emptied it. Kubernetes adds it when the namespace is created; keeping the
 * stored finalizers on updates is the apiserver's namespace strategy's job.
 */
export function defaultNamespace(ns: Namespace): void {
  const name = ns.metadata?.name;
  // An immutable label with the name lets label selectors (network policies, …) pick namespaces.
  if (name) ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': name };
  const spec = (ns.spec ??= {});
  spec.finalizers ??= ['kubernetes'];
  const status = (ns.status ??= {});
  status.phase ||= 'Active';
}

export function defaultSecret(secret: Secret): void {
  secret.type ||= 'Opaque';
}

export function defaultEndpoints(endpoints: Endpoints): void {
  for (const subset of endpoints.subsets ?? []) {
    for (const port of subset.ports ?? []) port.protocol ||= 'TCP';
  }
}

/** A node that reports only its capacity can allocate all of it. */
export function defaultNode(node: Node): void {
  const status = node.status;
  if (!status) return;
  if (status.capacity) quantitiesAsStrings(status.capacity);
  if (status.allocatable) quantitiesAsStrings(status.allocatable);
  if (!status.allocatable && status.capacity) status.allocatable = { ...status.capacity };
}

export function defaultCustomResourceDefinition(crd: CustomResourceDefinition): void {
  const spec = crd.spec;
  if (!spec) return;
  if (spec.names?.kind) {
    spec.names.singular ||= spec.names.kind.toLowerCase();
    spec.names.listKind ||= `${spec.names.kind}List`;
  }
  // Without a conversion webhook, versions differ only in their name: objects are relabelled.
  spec.conversion ??= { strategy: 'None' };
  const service = spec.conversion.webhook?.clientConfig?.service;
  if (spec.conversion.strategy === 'Webhook' && service) service.port ??= 443;
}

/** Event, ConfigMap and Lease: Kubernetes defaults nothing in them. */
export function nothingToDefault(): void {}
