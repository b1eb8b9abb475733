// The PodScheduled condition the scheduler writes on a pod it could not place, what
// `kubectl describe pod` shows under Conditions and `kubectl get pods` turns into Pending.
// Written with a strategic merge patch on pods/status (conditions merge by type, so the
// kubelet's conditions are never overwritten), and only when it changed: a pod retried every
// 10 seconds with the same verdict costs no write.
import type { Pod, PodCondition } from '@skiff/api';

/** `Unschedulable` when no node fit; `SchedulerError` when the scheduler itself failed. */
export type PodScheduledReason = 'Unschedulable' | 'SchedulerError';

/** The patch to send, or undefined when the pod already says this. */
export function podScheduledPatch(
  pod: Readonly<Pod>,
  reason: PodScheduledReason,
  message: string,
  now: string,
): { status: { conditions: PodCondition[] } } | undefined {
  const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.reason === reason && current.message === message)
    return undefined;
  const lastTransitionTime =
    current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : now;
  return {
    status: {
      conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastTransitionTime }],
    },
  };
}
