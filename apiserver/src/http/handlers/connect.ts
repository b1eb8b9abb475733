// The connect subresources: a pod's exec, attach and portforward stream to its kubelet
// (pod-stream.ts). The proxy subresources (pods, services and nodes) are not served yet, so
// they answer with a Status that says exactly that — after the checks that would fail anyway
// (the object exists; a pod is bound to a node), so clients see the same errors they will later.
import type { Pod } from '@skiff/api';
import { asKind } from '../../registry/api-object.js';
import { apiErrors } from '@skiff/api';
import type { ResourceScope } from '../scope.js';
import { requireName } from './names.js';
import { handlePodStream, isPodStream } from './pod-stream.js';

export async function handleConnect(scope: ResourceScope): Promise<void> {
  const sub = scope.info.subresource ?? '';
  if (scope.info.kind.kind === 'Pod' && isPodStream(sub)) {
    await handlePodStream(scope, sub);
    return;
  }
  const name = requireName(scope);
  const obj = await scope.registry.get(scope.info.namespace, name);
  if (scope.info.kind.kind === 'Pod' && !asKind<Pod>(obj).spec?.nodeName) {
    throw apiErrors.badRequest(`pod ${name} does not have a host assigned`);
  }
  scope.req.resume();
  throw apiErrors.serviceUnavailable(
    `${scope.info.kind.resource}/${sub} is not available yet: this skiff apiserver does not proxy to nodes, services or pods (exec, attach and portforward are served)`,
  );
}
