// A pod's QoS class (Kubernetes' GetPodQOS), from the cpu and memory of all its containers:
// Guaranteed when every container limits both and requests exactly its limits, BestEffort when
// none asks for or limits either, Burstable otherwise. It decides the oom_score_adj of its
// containers and, later, which pods are evicted first.
import { ResourceQuantity, type Container, type Pod, type ResourceList } from '@skiff/api';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function nonZero(list: Readonly<ResourceList> | undefined, name: string): boolean {
  const value = list?.[name];
  return value !== undefined && !ResourceQuantity.parse(value).isZero();
}

function sameQuantity(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return ResourceQuantity.parse(a).equals(ResourceQuantity.parse(b));
}

export function podQOSClass(pod: Readonly<Pod>): QOSClass {
  const containers: readonly Container[] = [
    ...(pod.spec.initContainers ?? []),
    ...pod.spec.containers,
  ];
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    const { requests, limits } = container.resources ?? {};
    for (const name of QOS_RESOURCES) {
      if (nonZero(requests, name) || nonZero(limits, name)) any = true;
      const request = requests?.[name] ?? limits?.[name];
      if (!nonZero(limits, name) || !sameQuantity(request, limits?.[name])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
