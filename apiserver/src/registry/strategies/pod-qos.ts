// A pod's QoS class, as the apiserver records it in status.qosClass on create: BestEffort with
// no CPU/memory requests or limits at all, Guaranteed when every container limits both and
// requests exactly its limits, Burstable otherwise. The kubelet evicts in that order.
import { QuantityParseError, ResourceQuantity, type Pod } from '@skiff/api';

type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const qosResources = ['cpu', 'memory'];

export function podQosClass(pod: Pod): QosClass | undefined {
  try {
    return computeQos(pod);
  } catch (err) {
    // Unparseable quantities make the pod invalid; validation reports them right after.
    if (err instanceof QuantityParseError) return undefined;
    throw err;
  }
}

function computeQos(pod: Pod): QosClass {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const name of qosResources) {
      const request = nonZero(requests[name]);
      const limit = nonZero(limits[name]);
      if (request || limit) anySet = true;
      if (!limit || (request && !request.equals(limit))) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function nonZero(value: string | undefined): ResourceQuantity | undefined {
  if (value === undefined) return undefined;
  const q = ResourceQuantity.parse(value);
  return q.isZero() ? undefined : q;
}
