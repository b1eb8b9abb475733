// pods/exec, pods/attach, pods/portforward and the proxy subresources stream to a kubelet
// (pods/log does already: pod-log.ts). The apiserver does not reach kubelets for these yet,
// so they answer with a Status that says exactly that — after the checks that would fail anyway
// (the object exists; a pod is bound to a node), so clients see the same errors they will later.
import type { Pod } from '@skiff/api';
import { asKind } from '../../registry/api-object.js';
import { apiErrors } from '@skiff/api';
import type { ResourceScope } from '../scope.js';
import { requireName } from './names.js';

export async function handleConnect(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const obj = await scope.registry.get(scope.info.namespace, name);
  const sub = scope.info.subresource ?? '';
  if (scope.info.kind.kind === 'Pod' && !asKind<Pod>(obj).spec?.nodeName) {
    throw apiErrors.badRequest(`pod ${name} does not have a host assigned`);
  }
  scope.req.resume();
  throw apiErrors.serviceUnavailable(
    `${scope.info.kind.resource}/${sub} is not available yet: this skiff apiserver does not connect to kubelets (it will once the kubelet's streaming server is wired in)`,
  );
}
