// The client a component or a student's controller holds: typed helpers for the built-in
// kinds (`client.deployments('web').get('frontend')`) and `client.resource(gvr)` for anything
// else the server serves, such as custom resources. An interface: createClient() makes the real
// one, where every resource client shares one RestClient (one connection pool, one rate
// limiter, one set of credentials); `@skiff/client/testing`'s FakeClient stands in for it in
// unit tests.
import { kindForResource, type KindInfo } from '@skiff/api';
import type { RestConfig } from './config.js';
import type { GroupVersionResource } from './paths.js';
import type { KubeObject, ResourceClient } from './resource-client.js';
import { RestClient } from './rest-client.js';
import { RestResourceClient } from './rest-resource-client.js';
import type { Transport } from './transport.js';
import { typedClients, type TypedClients } from './typed-clients.js';

/** An object of a kind this code has no type for: read its fields as `unknown`. */
export type Unstructured = KubeObject & { [field: string]: unknown };

export interface Client extends TypedClients {
  /** The namespace typed helpers use when given none. */
  readonly namespace: string;
  /**
   * The dynamic client: any group/version/resource. Give a namespace for namespaced
   * resources; leave it out for cluster-scoped ones and to list or watch all namespaces.
   */
  resource<T extends KubeObject = Unstructured>(
    gvr: GroupVersionResource,
    namespace?: string,
  ): ResourceClient<T>;
  /** Closes idle connections, so a process that is done can exit. */
  close(): void;
}

/** `transport` replaces node:http(s) to config.server (a test may hand in its own). */
export function createClient(config: RestConfig, transport?: Transport): Client {
  const rest = new RestClient(config, transport);
  const forKind = <T extends KubeObject>(kind: KindInfo, namespace: string | undefined) =>
    new RestResourceClient<T>(rest, kind, namespace, {
      apiVersion: kind.apiVersion,
      kind: kind.kind,
    });
  return {
    ...typedClients(forKind, rest.namespace),
    namespace: rest.namespace,
    resource<T extends KubeObject = Unstructured>(gvr: GroupVersionResource, namespace?: string) {
      const known = kindForResource(gvr.group, gvr.version, gvr.resource);
      if (known) return forKind<T>(known, namespace || undefined);
      const { group, version, resource } = gvr;
      return new RestResourceClient<T>(rest, { group, version, resource }, namespace || undefined);
    },
    close: () => rest.close(),
  };
}
