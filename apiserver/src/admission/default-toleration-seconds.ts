// Kubernetes' DefaultTolerationSeconds plugin: every pod tolerates a node being not-ready or
// unreachable for 300 s before the node-lifecycle controller's NoExecute taints evict it. Without
// this, a kubelet restart would evict every pod on its node at once. Like Kubernetes it runs on
// updates too: a full replace (`kubectl replace`) of a pod created earlier omits the defaulted
// tolerations, and pod tolerations may only be added to, so without them the update is refused.
import type { Pod, Toleration } from '@skiff/api';
import { asKind } from '../registry/api-object.js';
import type { MutatingAdmissionPlugin } from './types.js';

export const DEFAULT_TOLERATION_SECONDS = 300;

const taintKeys = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

function toleratesAlready(tolerations: readonly Toleration[], key: string): boolean {
  // A toleration with an empty key and Exists tolerates every taint; one for the key with
  // NoExecute (or any effect) already states the user's wish.
  return tolerations.some(
    (t) =>
      (t.key === key || ((t.key ?? '') === '' && t.operator === 'Exists')) &&
      (t.effect === undefined || t.effect === 'NoExecute'),
  );
}

export function defaultTolerationSeconds(
  seconds = DEFAULT_TOLERATION_SECONDS,
): MutatingAdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(attrs) {
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (attrs.kind.kind !== 'Pod' || attrs.kind.group !== '') return;
      if (attrs.subresource !== undefined || !attrs.object) return;
      const pod = asKind<Pod>(attrs.object);
      if (!pod.spec) return;
      const tolerations = (pod.spec.tolerations ??= []);
      for (const key of taintKeys) {
        if (toleratesAlready(tolerations, key)) continue;
        tolerations.push({
          key,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: seconds,
        });
      }
    },
  };
}
