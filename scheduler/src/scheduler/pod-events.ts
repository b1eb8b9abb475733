// What an assigned pod's update means for parked pods (Kubernetes' podSchedulingPropertiesChange):
// the kinds of change plugins can register for. Most updates of a bound pod (its status, the
// kubelet's conditions) change nothing a plugin reads and are no event at all; a label change
// can change what spread constraints and affinity terms count, a request going down (in-place
// resize) frees room.
import type { Labels, Pod } from '@skiff/api';
import { ActionType, podResources, type ClusterEvent, type Resource } from '../framework/index.js';

export function podUpdateEvent(
  oldPod: Readonly<Pod>,
  newPod: Readonly<Pod>,
): ClusterEvent | undefined {
  let action = 0;
  const labels: string[] = [];
  if (!sameLabels(oldPod.metadata.labels, newPod.metadata.labels)) {
    action |= ActionType.UpdatePodLabel;
    labels.push('AssignedPodLabelChange');
  }
  if (scaledDown(podResources(oldPod).requests, podResources(newPod).requests)) {
    action |= ActionType.UpdatePodScaleDown;
    labels.push('AssignedPodScaleDown');
  }
  if (
    JSON.stringify(oldPod.spec.tolerations ?? []) !== JSON.stringify(newPod.spec.tolerations ?? [])
  ) {
    action |= ActionType.UpdatePodTolerations;
    labels.push('AssignedPodTolerationsChange');
  }
  return action === 0 ? undefined : { resource: 'Pod', action, label: labels.join('|') };
}

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  const aKeys = Object.keys(a ?? {});
  if (aKeys.length !== Object.keys(b ?? {}).length) return false;
  return aKeys.every((k) => a?.[k] === b?.[k]);
}

/** Whether any resource the pod requests went down. */
function scaledDown(before: Resource, after: Resource): boolean {
  if (
    after.milliCPU < before.milliCPU ||
    after.memory < before.memory ||
    after.ephemeralStorage < before.ephemeralStorage
  ) {
    return true;
  }
  for (const [name, amount] of before.scalar) if (after.get(name) < amount) return true;
  return false;
}
