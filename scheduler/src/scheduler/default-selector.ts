// Kubernetes' helper.DefaultSelector: what "the pod's workload" selects, for PodTopologySpread's
// cluster-default constraints — the selectors of the Services in the pod's namespace that select
// it, merged (they all match the pod, so they cannot conflict), and the selector of the
// ReplicaSet controlling it. skiff's apiserver serves neither ReplicationControllers nor
// StatefulSets, the other two kinds Kubernetes consults.
import {
  labelSelectorAsSelector,
  selectorFromSet,
  type Pod,
  type ReplicaSet,
  type Selector,
  type Service,
} from '@skiff/api';

export interface WorkloadListers {
  /** The Services of a namespace. */
  services(namespace: string): readonly Readonly<Service>[];
  replicaSet(namespace: string, name: string): Readonly<ReplicaSet> | undefined;
}

/** The merged selector; `everything` (empty) when nothing selects the pod. */
export function defaultSelector(pod: Readonly<Pod>, listers: WorkloadListers): Selector {
  const namespace = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const merged: Record<string, string> = {};
  for (const service of listers.services(namespace)) {
    const set = service.spec?.selector;
    if (!set || !selectorFromSet(set).matches(labels)) continue;
    Object.assign(merged, set);
  }
  let selector = selectorFromSet(merged);
  const owner = pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
  if (owner?.kind === 'ReplicaSet' && owner.apiVersion.split('/')[0] === 'apps') {
    const rs = listers.replicaSet(namespace, owner.name);
    // The apiserver validated the ReplicaSet's selector; labelSelectorAsSelector throws only
    // for one it would have refused.
    if (rs) selector = selector.add(...labelSelectorAsSelector(rs.spec.selector).requirements());
  }
  return selector;
}
