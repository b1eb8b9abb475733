// Cluster events: what changed in the cluster, in the terms the queue needs to decide which
// parked (unschedulable) pods are worth another try. Each plugin registers the events that could
// turn its rejection into an acceptance (EnqueueExtensions.eventsToRegister); a pod rejected by
// NodeAffinity is not retried because some pod was deleted, but is when a node's labels change.
// Bit flags, as Kubernetes' ActionType, so "Add | UpdateNodeLabel" is one number.

export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  /** Taints changed, or spec.unschedulable did (Kubernetes counts both as taint changes). */
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  /** A pod's requests went down (in-place resize). */
  UpdatePodScaleDown: 1 << 8,
  UpdatePodTolerations: 1 << 9,
} as const;

export const UPDATE_NODE =
  ActionType.UpdateNodeAllocatable |
  ActionType.UpdateNodeLabel |
  ActionType.UpdateNodeTaint |
  ActionType.UpdateNodeCondition |
  ActionType.UpdateNodeAnnotation;
export const ALL_ACTIONS = (1 << 10) - 1;

/** `Pod` events are about assigned pods (scheduled or assumed), as Kubernetes' AssignedPod. */
export type EventResource = 'Node' | 'Pod' | '*';

export interface ClusterEvent {
  readonly resource: EventResource;
  /** ActionType bits. */
  readonly action: number;
  /** For metrics and logs: `NodeAdd`, `AssignedPodDelete`, `UnschedulableTimeout`, … */
  readonly label: string;
}

export const NodeAdd: ClusterEvent = { resource: 'Node', action: ActionType.Add, label: 'NodeAdd' };
export const AssignedPodAdd: ClusterEvent = {
  resource: 'Pod',
  action: ActionType.Add,
  label: 'AssignedPodAdd',
};
export const AssignedPodDelete: ClusterEvent = {
  resource: 'Pod',
  action: ActionType.Delete,
  label: 'AssignedPodDelete',
};
/** The periodic flush of pods parked too long: moves everything. */
export const UnschedulableTimeout: ClusterEvent = {
  resource: '*',
  action: ALL_ACTIONS,
  label: 'UnschedulableTimeout',
};

/** Whether `registered` (what a plugin listens for) covers `event` (what happened). */
export function eventMatches(registered: ClusterEvent, event: ClusterEvent): boolean {
  if (
    registered.resource !== '*' &&
    event.resource !== '*' &&
    registered.resource !== event.resource
  ) {
    return false;
  }
  return (registered.action & event.action) !== 0;
}
