// GET pods/<name>/log: validates the PodLogOptions, picks the container (the only one when the
// pod has one), and streams the kubelet's /containerLogs through — reaching the kubelet at the
// node's InternalIP and status.daemonEndpoints.kubeletEndpoint.Port, as Kubernetes does. A
// kubelet's refusal (unknown container, nothing to show yet) becomes a Status with its code and
// its words as the message, which kubectl prints.
import { request, type IncomingMessage } from 'node:http';
import {
  ApiError,
  apiErrors,
  errorMessage,
  makeStatus,
  parsePodLogOptions,
  readAtMost,
  reasonForCode,
  type Pod,
} from '@skiff/api';
import { asKind } from '../../registry/api-object.js';
import type { ResourceScope } from '../scope.js';
import { getNode, kubeletUrl, pathOf } from './kubelet-location.js';
import { requireName } from './names.js';
/** How much of a kubelet's error body becomes the message. */
const MAX_ERROR_BYTES = 4096;

/** The options forwarded to the kubelet (container is in its path). */
const FORWARDED = [
  'follow',
  'previous',
  'timestamps',
  'tailLines',
  'limitBytes',
  'sinceSeconds',
  'sinceTime',
];

export async function handlePodLog(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  scope.req.resume();
  const pod = asKind<Pod>(await scope.registry.get(scope.info.namespace, name));
  const parsed = parsePodLogOptions(scope.query);
  if (parsed.badRequest !== undefined) throw apiErrors.badRequest(parsed.badRequest);
  if (parsed.errors !== undefined) {
    throw apiErrors.invalid({ group: '', kind: 'PodLogOptions' }, name, parsed.errors);
  }
  const container = logContainer(pod, name, parsed.options.container);
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName === '') throw apiErrors.badRequest(`pod ${name} does not have a host assigned`);
  const url = kubeletUrl(
    await getNode(scope, nodeName),
    `/containerLogs${pathOf(pod.metadata.namespace ?? '', pod.metadata.name ?? '', container)}`,
  );
  for (const key of FORWARDED) {
    const value = scope.query.get(key);
    if (value !== null) url.searchParams.set(key, value);
  }
  await proxyLog(scope, url);
}

/** The container named, or the pod's only one; Kubernetes' messages otherwise. */
function logContainer(pod: Pod, name: string, requested: string | undefined): string {
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (requested !== undefined) {
    if (![...containers, ...inits].includes(requested)) {
      throw apiErrors.badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  if (containers.length === 1 && containers[0] !== undefined) return containers[0];
  if (containers.length === 0) {
    throw apiErrors.badRequest(`a container name must be specified for pod ${name}`);
  }
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (inits.length > 0) message += ` or one of the init containers: [${inits.join(' ')}]`;
  throw apiErrors.badRequest(message);
}

async function proxyLog(scope: ResourceScope, url: URL): Promise<void> {
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { method: 'GET' }, resolve);
    req.on('error', (err) => reject(apiErrors.internal(`Get "${url.href}": ${errorMessage(err)}`)));
    // The client went away (kubectl logs -f interrupted): stop the kubelet's stream too.
    scope.res.on('close', () => req.destroy());
    req.end();
  });
  if (upstream.statusCode !== 200) {
    const code = upstream.statusCode ?? 500;
    const body = (await readAtMost(upstream, MAX_ERROR_BYTES)).toString('utf8');
    throw new ApiError(
      makeStatus({
        code,
        reason: reasonForCode(code),
        message: body.trim() || `the kubelet answered ${code}`,
      }),
    );
  }
  scope.res.writeHead(200, { 'content-type': upstream.headers['content-type'] ?? 'text/plain' });
  scope.res.flushHeaders();
  upstream.pipe(scope.res);
  await new Promise<void>((resolve) => {
    scope.res.on('close', resolve);
    upstream.on('error', () => {
      scope.res.destroy();
      resolve();
    });
  });
}
