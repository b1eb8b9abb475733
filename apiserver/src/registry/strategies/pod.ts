// Pods: created Pending with their QoS class; deleted gracefully once bound to a node — the
// object stays, with deletionTimestamp and deletionGracePeriodSeconds, until the kubelet has
// stopped the containers and confirms with a grace-0 delete. An unbound pod (no kubelet owns
// it yet) or a finished one goes at once.
import type { Pod } from '@skiff/api';
import { asKind } from '../api-object.js';
import { defaultStrategy, type Strategy } from '../strategy.js';
import { podQosClass } from './pod-qos.js';

/** Kubernetes' default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

export function podStrategy(): Strategy {
  const base = defaultStrategy(true);
  return {
    ...base,
    returnDeletedObject: true,
    prepareForCreate(obj) {
      const pod = asKind<Pod>(obj);
      const qosClass = podQosClass(pod);
      pod.status = { phase: 'Pending', ...(qosClass ? { qosClass } : {}) };
    },
    gracePeriodSeconds(obj, requested) {
      const pod = asKind<Pod>(obj);
      if (!pod.spec?.nodeName) return 0;
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
      return Math.max(grace, 0);
    },
  };
}
