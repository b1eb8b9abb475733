// pods/exec, pods/attach and pods/portforward (GET or POST, as Kubernetes' upgradeable
// methods): the pod's kubelet location is worked out as Kubernetes' streamLocation does — the
// pod, then the container (the only one when none is named), then its node — and the client's
// upgrade request is proxied there, SPDY or WebSocket as offered; the kubelet asks its runtime
// for a stream and proxies again, so the session runs between kubectl and the runtime. A
// kubelet's refusal (`container not found ("x")`) reaches the client as the kubelet wrote it.
import { Socket } from 'node:net';
import { apiErrors, BackendDialError, proxyUpgrade, type Pod } from '@skiff/api';
import { asKind } from '../../registry/api-object.js';
import type { ResourceScope } from '../scope.js';
import { getNode, kubeletUrl, pathOf } from './kubelet-location.js';
import { requireName } from './names.js';
import { tunnelPortForward, wantsSpdyTunnel } from './portforward-tunnel.js';

/** The streaming subresources of a pod and the kubelet's path for each. */
const KUBELET_PATHS = { exec: '/exec', attach: '/attach', portforward: '/portForward' } as const;
export type PodStreamSubresource = keyof typeof KUBELET_PATHS;

export function isPodStream(subresource: string | undefined): subresource is PodStreamSubresource {
  return subresource !== undefined && Object.hasOwn(KUBELET_PATHS, subresource);
}

export async function handlePodStream(
  scope: ResourceScope,
  subresource: PodStreamSubresource,
): Promise<void> {
  const name = requireName(scope);
  // The options are read first, as Kubernetes decodes them before it connects.
  const query = kubeletQuery(subresource, scope.query);
  const pod = asKind<Pod>(await scope.registry.get(scope.info.namespace, name));
  const namespace = pod.metadata.namespace ?? '';
  const path =
    subresource === 'portforward'
      ? pathOf(namespace, name)
      : pathOf(namespace, name, streamContainer(pod, name, scope.query.get('container') ?? ''));
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName === '') throw apiErrors.badRequest(`pod ${name} does not have a host assigned`);
  const url = kubeletUrl(await getNode(scope, nodeName), KUBELET_PATHS[subresource] + path);
  url.search = query.toString();
  const socket = scope.res.socket;
  if (!isUpgradeRequest(scope) || !(socket instanceof Socket)) {
    scope.req.resume();
    throw apiErrors.badRequest('Upgrade request required');
  }
  try {
    const outcome =
      subresource === 'portforward' && wantsSpdyTunnel(scope.req)
        ? await tunnelPortForward(scope.req, socket, url)
        : await proxyUpgrade(scope.req, socket, url);
    // For the request metrics: what the client was answered, not the unused response's default.
    if (outcome === 'upgraded') scope.res.statusCode = 101;
  } catch (err) {
    if (err instanceof BackendDialError) {
      throw apiErrors.internal(`error dialing backend: ${err.message}`);
    }
    throw err;
  }
}

function isUpgradeRequest(scope: ResourceScope): boolean {
  const connection = (scope.req.headers.connection ?? '').toLowerCase().split(',');
  return scope.req.headers.upgrade !== undefined && connection.some((t) => t.trim() === 'upgrade');
}

/** The container named (any kind of the pod's), or the pod's only one; Kubernetes' messages. */
function streamContainer(pod: Pod, name: string, requested: string): string {
  const spec = pod.spec;
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
  if (requested !== '') {
    if (!all.includes(requested)) {
      throw apiErrors.badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  const containers = spec?.containers ?? [];
  if (containers.length === 1 && containers[0] !== undefined) return containers[0].name;
  if (containers.length === 0) {
    throw apiErrors.badRequest(`a container name must be specified for pod ${name}`);
  }
  throw apiErrors.badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`,
  );
}

/** A query parameter as a bool, as Kubernetes converts them: only 0, false and no are false. */
function flag(query: URLSearchParams, key: string): boolean {
  const value = query.get(key);
  if (value === null) return false;
  return !['0', 'false', 'no'].includes(value.toLowerCase());
}

/** What the kubelet is asked, in its own terms (`1` for true, ports joined under `port`). */
function kubeletQuery(subresource: PodStreamSubresource, query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  if (subresource === 'portforward') {
    const ports = query.getAll('ports').flatMap((p) => p.split(','));
    for (const port of ports) {
      const n = Number(port);
      if (!/^\d+$/.test(port.trim()) || n < 1 || n > 65535) {
        throw apiErrors.badRequest(`invalid port "${port}": must be a number from 1 to 65535`);
      }
    }
    if (ports.length > 0) out.set('port', ports.map((p) => p.trim()).join(','));
    return out;
  }
  for (const key of ['stdin', 'stdout', 'stderr', 'tty']) {
    if (flag(query, key)) out.set(key, '1');
  }
  if (subresource === 'exec') for (const c of query.getAll('command')) out.append('command', c);
  return out;
}
