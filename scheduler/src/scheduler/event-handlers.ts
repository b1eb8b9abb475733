// How informer events reach the scheduler (Kubernetes' addAllEventHandlers):
//   unassigned pods of our profiles  → the scheduling queue (add, update, delete)
//   assigned pods                    → the cache (confirming assumed pods), and as cluster events
//                                      (a deleted pod frees room, an added one may be the peer an
//                                      affinity term waits for) to parked pods
//   nodes                            → the cache, and as cluster events to parked pods
// A pod moving from unassigned to assigned (bound — by us or by someone else) leaves the queue
// and enters the cache in one update. Finished pods (Succeeded/Failed) hold no resources: they
// count as deleted.
import type { Node, Pod } from '@skiff/api';
import type { DeleteInfo } from '@skiff/client';
import type { Cache } from '../cache/index.js';
import { AssignedPodAdd, AssignedPodDelete, NodeAdd } from '../framework/index.js';
import type { SchedulingQueue } from '../queue/index.js';
import { DEFAULT_SCHEDULER_NAME } from '../profile/index.js';
import { nodeUpdateEvent } from './node-events.js';
import { podUpdateEvent } from './pod-events.js';

/** The handlers are synchronous: they only move keys between the queue and the cache. */
export interface SyncEventHandler<T> {
  onAdd(obj: Readonly<T>, isInInitialList: boolean): void;
  onUpdate(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  onDelete(obj: Readonly<T>, info: DeleteInfo): void;
}

const isAssigned = (pod: Readonly<Pod>): boolean => Boolean(pod.spec.nodeName);
const isTerminal = (pod: Readonly<Pod>): boolean =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export function podEventHandler(
  cache: Cache,
  queue: SchedulingQueue,
  profiles: ReadonlySet<string>,
): SyncEventHandler<Pod> {
  const ours = (pod: Readonly<Pod>): boolean =>
    !isAssigned(pod) &&
    !isTerminal(pod) &&
    profiles.has(pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME);
  const held = (pod: Readonly<Pod>): boolean => isAssigned(pod) && !isTerminal(pod);
  // Every pod event carries its objects, so the plugins' QueueingHints can judge the change:
  // an added pod as newObj, a deleted one as oldObj, an update as both.
  return {
    onAdd(pod) {
      if (held(pod)) {
        cache.addPod(pod);
        queue.moveAllToActiveOrBackoffQueue(AssignedPodAdd, { newObj: pod });
      } else if (ours(pod)) {
        queue.add(pod);
      }
    },
    onUpdate(oldPod, newPod) {
      if (held(oldPod) && held(newPod)) {
        cache.updatePod(oldPod, newPod);
        const event = podUpdateEvent(oldPod, newPod);
        if (event) queue.moveAllToActiveOrBackoffQueue(event, { oldObj: oldPod, newObj: newPod });
      } else if (held(oldPod)) {
        cache.removePod(oldPod);
        queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, { oldObj: oldPod });
      } else if (held(newPod)) {
        // Bound: out of the queue, into the cache.
        queue.delete(oldPod);
        cache.addPod(newPod);
        queue.moveAllToActiveOrBackoffQueue(AssignedPodAdd, { newObj: newPod });
      } else if (ours(newPod)) {
        if (ours(oldPod)) queue.update(oldPod, newPod);
        else queue.add(newPod);
      } else if (ours(oldPod)) {
        queue.delete(oldPod);
      }
    },
    onDelete(pod) {
      if (held(pod)) {
        cache.removePod(pod);
        queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, { oldObj: pod });
      } else {
        queue.delete(pod);
      }
    },
  };
}

export function nodeEventHandler(cache: Cache, queue: SchedulingQueue): SyncEventHandler<Node> {
  return {
    onAdd(node) {
      cache.addNode(node);
      queue.moveAllToActiveOrBackoffQueue(NodeAdd, { newObj: node });
    },
    onUpdate(oldNode, newNode) {
      cache.updateNode(oldNode, newNode);
      const event = nodeUpdateEvent(oldNode, newNode);
      if (event) queue.moveAllToActiveOrBackoffQueue(event, { oldObj: oldNode, newObj: newNode });
    },
    onDelete(node) {
      cache.removeNode(node);
    },
  };
}
