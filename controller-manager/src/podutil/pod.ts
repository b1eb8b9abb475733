// Facts about a pod that several controllers read the same way (Kubernetes' podutil and
// controller_utils): is it active, ready, available, and since when.
import type { Pod, PodCondition } from '@skiff/api';

/** A pod still counts toward its owner: not finished and not being deleted. */
export function isPodActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodTerminating(pod: Readonly<Pod>): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

export function podReadyCondition(pod: Readonly<Pod>): Readonly<PodCondition> | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Readonly<Pod>): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod last became ready, in ms on the clock's scale; undefined when not ready. */
export function podReadySince(pod: Readonly<Pod>): number | undefined {
  const ready = podReadyCondition(pod);
  if (ready?.status !== 'True' || !ready.lastTransitionTime) return undefined;
  const at = Date.parse(ready.lastTransitionTime);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Ready for at least `minReadySeconds` (Kubernetes' IsPodAvailable). With minReadySeconds 0 a
 * ready pod is available at once, even without a transition time.
 */
export function isPodAvailable(pod: Readonly<Pod>, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/** The highest restart count among the pod's containers (the one Kubernetes ranks by). */
export function maxContainerRestarts(pod: Readonly<Pod>): number {
  let max = 0;
  for (const status of pod.status?.containerStatuses ?? []) {
    max = Math.max(max, status.restartCount);
  }
  return max;
}

/** `namespace/name`, the key pods are known by in caches and queues. */
export function podKey(pod: Readonly<Pod>): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
