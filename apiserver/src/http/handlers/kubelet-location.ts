// Where a node's kubelet serves: the Node's InternalIP and status.daemonEndpoints.
// kubeletEndpoint.Port, as Kubernetes' node connection info has it.
import { apiErrors, type Node } from '@skiff/api';
import { asKind } from '../../registry/api-object.js';
import type { ResourceScope } from '../scope.js';

/** The kubelet's port when a Node does not say (Kubernetes' default). */
const DEFAULT_KUBELET_PORT = 10250;

/** The kubelet URL of `path` (already escaped) on `node`. */
export function kubeletUrl(node: Node, path: string): URL {
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (address === undefined || address === '') {
    throw apiErrors.badRequest(`node ${node.metadata.name ?? ''} has no InternalIP address`);
  }
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT;
  const host = address.includes(':') ? `[${address}]` : address;
  return new URL(`http://${host}:${port}${path}`);
}

/** The Node a pod is bound to, read from the nodes registry. */
export async function getNode(scope: ResourceScope, nodeName: string): Promise<Node> {
  const nodes = scope.server.registries.forKind({ group: '', resource: 'nodes' });
  return asKind<Node>(await nodes.get(undefined, nodeName));
}

/** The path segments, escaped and joined. */
export function pathOf(...segments: string[]): string {
  return `/${segments.map(encodeURIComponent).join('/')}`;
}
