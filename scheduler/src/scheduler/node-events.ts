// What a node update means for parked pods (Kubernetes' nodeSchedulingPropertiesChange): the
// kinds of change the plugins can register for. A heartbeat (condition times only) or a status
// write that changes nothing a plugin reads is no event at all, so parked pods are not retried
// every 10 seconds for nothing.
import type { Node, NodeCondition } from '@skiff/api';
import { ActionType, type ClusterEvent } from '../framework/index.js';

export function nodeUpdateEvent(
  oldNode: Readonly<Node>,
  newNode: Readonly<Node>,
): ClusterEvent | undefined {
  let action = 0;
  const labels: string[] = [];
  const changed = (a: unknown, b: unknown): boolean =>
    JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
  if (changed(oldNode.status?.allocatable, newNode.status?.allocatable)) {
    action |= ActionType.UpdateNodeAllocatable;
    labels.push('NodeAllocatableChange');
  }
  if (changed(oldNode.metadata.labels, newNode.metadata.labels)) {
    action |= ActionType.UpdateNodeLabel;
    labels.push('NodeLabelChange');
  }
  if (
    changed(oldNode.spec?.taints, newNode.spec?.taints) ||
    (oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)
  ) {
    action |= ActionType.UpdateNodeTaint;
    labels.push('NodeTaintChange');
  }
  if (changed(conditionStates(oldNode), conditionStates(newNode))) {
    action |= ActionType.UpdateNodeCondition;
    labels.push('NodeConditionChange');
  }
  if (changed(oldNode.metadata.annotations, newNode.metadata.annotations)) {
    action |= ActionType.UpdateNodeAnnotation;
    labels.push('NodeAnnotationChange');
  }
  return action === 0 ? undefined : { resource: 'Node', action, label: labels.join('|') };
}

function conditionStates(node: Readonly<Node>): Record<string, NodeCondition['status']> {
  return Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c.status]));
}
