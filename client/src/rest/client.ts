// The client a component or a student's controller holds: typed helpers for the built-in
// kinds (`client.deployments('web').get('frontend')`) and `client.resource(gvr)` for anything
// else the server serves, such as custom resources. All of them share one RestClient: one
// connection pool, one rate limiter, one set of credentials.
import { kindForResource, type KindInfo } from '@skiff/api';
import type { RestConfig } from './config.js';
import type { GroupVersionResource } from './paths.js';
import { ResourceClient, type KubeObject } from './resource-client.js';
import { RestClient } from './rest-client.js';
import { typedClients, type TypedClients } from './typed-clients.js';

/** An object of a kind this code has no type for: read its fields as `unknown`. */
export type Unstructured = KubeObject & { [field: string]: unknown };

export interface Client extends TypedClients {
  readonly rest: RestClient;
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

export function createClient(config: RestConfig): Client {
  const rest = new RestClient(config);
  const forKind = <T extends KubeObject>(kind: KindInfo, namespace: string | undefined) =>
    new ResourceClient<T>(rest, kind, namespace, { apiVersion: kind.apiVersion, kind: kind.kind });
  return {
    ...typedClients(forKind, rest.namespace),
    rest,
    namespace: rest.namespace,
    resource<T extends KubeObject = Unstructured>(gvr: GroupVersionResource, namespace?: string) {
      const known = kindForResource(gvr.group, gvr.version, gvr.resource);
      if (known) return forKind<T>(known, namespace || undefined);
      const { group, version, resource } = gvr;
      return new ResourceClient<T>(rest, { group, version, resource }, namespace || undefined);
    },
    close: () => rest.close(),
  };
}
