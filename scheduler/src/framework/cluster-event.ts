// Cluster events: what changed in the cluster, in the terms the queue needs to decide which
// parked (unschedulable) pods are worth another try. Each plugin registers the events that could
// turn its rejection into an acceptance (EnqueueExtensions.eventsToRegister); a pod rejected by
// NodeAffinity is not retried because some pod was deleted, but is when a node's labels change.
// Bit flags, as Kubernetes' ActionType, so "Add | UpdateNodeLabel" is one number.
//
// A registered event may carry a QueueingHint (Kubernetes' QueueingHintFn): given the parked pod
// and the object before and after the change, the plugin says whether this particular change can
// make the pod schedulable ('Queue') or not ('QueueSkip'). A node too small for the pod being
// added is then no reason to try the pod again. Without a hint, every matching event queues.
import type { Node, Pod } from '@skiff/api';

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

export type QueueingHint = 'Queue' | 'QueueSkip';

/**
 * Whether the change from `oldObj` to `newObj` (undefined for an add, or a delete's new state)
 * may make `pod` schedulable. Throwing counts as 'Queue', as in Kubernetes.
 */
export type QueueingHintFn = (pod: Readonly<Pod>, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEvent {
  readonly resource: EventResource;
  /** ActionType bits. */
  readonly action: number;
  /** For metrics and logs: `NodeAdd`, `AssignedPodDelete`, `UnschedulableTimeout`, … */
  readonly label: string;
  /** On a plugin's registered event: decides per change (see above). */
  readonly queueingHint?: QueueingHintFn;
}

/** The objects an event is about, for the hints: the state before and after. */
export interface ClusterChange {
  readonly oldObj?: unknown;
  readonly newObj?: unknown;
}

/**
 * Whether a registered event's hint lets `change` queue `pod`. An event that comes without its
 * objects (the periodic flush, a binding given up) cannot be judged: it queues.
 */
export function hintQueues(
  registered: ClusterEvent,
  pod: Readonly<Pod>,
  change: ClusterChange | undefined,
): boolean {
  if (!registered.queueingHint || !change) return true;
  try {
    return registered.queueingHint(pod, change.oldObj, change.newObj) === 'Queue';
  } catch {
    // A hint that fails cannot rule the change out.
    return true;
  }
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

/** The Node an event carries, for a hint; undefined when it carries none. */
export function nodeOf(obj: unknown): Readonly<Node> | undefined {
  if (typeof obj !== 'object' || obj === null || !('metadata' in obj)) return undefined;
  return obj as Readonly<Node>;
}

/** The Pod an event carries, for a hint; undefined when it carries none. */
export function podOf(obj: unknown): Readonly<Pod> | undefined {
  if (typeof obj !== 'object' || obj === null || !('metadata' in obj) || !('spec' in obj))
    return undefined;
  return obj as Readonly<Pod>;
}
