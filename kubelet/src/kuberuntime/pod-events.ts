// The kubelet's events about a pod, with Kubernetes' reasons. An interface so the runtime manager
// does not care whether they go to the apiserver (the EventRecorder) or nowhere.
import type { Pod } from '@skiff/api';

export type PodEventReason =
  | 'Pulling'
  | 'Pulled'
  | 'Created'
  | 'Started'
  | 'Killing'
  | 'Unhealthy'
  | 'FailedPostStartHook'
  | 'FailedPreStopHook'
  | 'FailedMount'
  | 'BackOff'
  | 'Failed'
  | 'FailedCreatePodSandBox'
  | 'FailedToRetrieveImagePullSecret';

export interface PodEventSink {
  event(
    pod: Readonly<Pod>,
    type: 'Normal' | 'Warning',
    reason: PodEventReason,
    message: string,
  ): void;
}

export const noPodEvents: PodEventSink = { event: () => undefined };
