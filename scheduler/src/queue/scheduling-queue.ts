// The scheduling queue (Kubernetes' PriorityQueue), three parts:
//
//   activeQ        pods to try now, a heap in the profile's QueueSort order (PrioritySort:
//                  priority, then the time they were queued)
//   backoffQ       pods that failed and wait out their backoff (1 s doubling per attempt up to
//                  10 s), heaps by the time the backoff ends; a timer on the injected clock moves
//                  each to activeQ exactly when its backoff ends. Two heaps, as Kubernetes': pods
//                  a plugin rejected (sent here by a cluster event that may help them), and pods
//                  whose attempt failed with an error
//   unschedulable  pods no node could take. They wait for a cluster event that one of the
//                  plugins that rejected them registered for (a node added, a node's labels or
//                  taints changed, an assigned pod deleted …), or for the periodic flush: every
//                  30 s, pods parked longer than 60 s are moved.
//
// A pod that failed while an event that could help it arrived (it was being scheduled when the
// node was added) goes to backoffQ rather than being parked, or it would miss that event.
//
// When activeQ is empty, pop takes the head of the rejected pods' backoff heap instead of
// waiting (Kubernetes' SchedulerPopFromBackoffQ, on by default since 1.33): backoff exists to
// keep retries from crowding out other pods, and an idle scheduler has none to crowd out. So a
// parked pod is tried again the moment a node that may fit it is added, however many attempts
// it has behind it. Pods that failed with an error are never popped early: an apiserver that
// keeps failing is not retried in a tight loop.
import { backoffDelay, type Clock, type Pod, type Timer } from '@skiff/api';
import {
  eventMatches,
  hintQueues,
  UnschedulableTimeout,
  type ClusterChange,
  type ClusterEvent,
  type QueuedPodInfo,
} from '../framework/index.js';
import { KeyedHeap } from './heap.js';
import { isPodUpdated } from './pod-updated.js';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 60_000;
/** How often parked pods are checked against the duration above (Kubernetes: 30 s). */
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

export type QueueName = 'active' | 'backoff' | 'unschedulable';

/** scheduler_pending_pods is read from pendingPods() when scraped, not kept up per move. */
export interface QueueMetrics {
  /** scheduler_queue_incoming_pods_total{queue, event}. */
  incoming(queue: QueueName, event: string): void;
}

export interface SchedulingQueueOptions {
  readonly clock: Clock;
  /** The QueueSort plugin's order. */
  readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** Plugin name → the events that may make pods it rejected schedulable. */
  readonly eventsToRegister: ReadonlyMap<string, readonly ClusterEvent[]>;
  readonly podInitialBackoffMs?: number;
  readonly podMaxBackoffMs?: number;
  readonly podMaxInUnschedulablePodsDurationMs?: number;
  readonly metrics?: QueueMetrics;
}

export function podKey(pod: Readonly<Pod>): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

const infoKey = (info: QueuedPodInfo): string => podKey(info.pod);

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  /** Pods a plugin rejected, moved here by an event that may help them. */
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  /** Pods whose attempt failed with an error: they always wait out their backoff. */
  private readonly errorBackoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly eventsToRegister: ReadonlyMap<string, readonly ClusterEvent[]>;
  private readonly metrics: QueueMetrics | undefined;
  /** Counts pops; a failed pod is compared against the events received since its pop. */
  private schedulingCycle = 0;
  /** Pods popped and not yet done, with the cycle they were popped in, in pop order. */
  private readonly inFlight = new Map<string, number>();
  /** In-flight pods whose spec changed while they were being scheduled. */
  private readonly updatedInFlight = new Set<string>();
  /** Events received while pods were in flight, with the cycle they arrived in, in order. */
  private inFlightEvents: { cycle: number; event: ClusterEvent; change?: ClusterChange }[] = [];
  private waiters: (() => void)[] = [];
  private backoffTimer: Timer | undefined;
  private backoffTimerDue = Infinity;
  private flushTimer: Timer | undefined;
  private closed = false;

  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.activeQ = new KeyedHeap(infoKey, options.less);
    const byExpiry = (a: QueuedPodInfo, b: QueuedPodInfo): boolean =>
      this.backoffExpiry(a) < this.backoffExpiry(b);
    this.backoffQ = new KeyedHeap(infoKey, byExpiry);
    this.errorBackoffQ = new KeyedHeap(infoKey, byExpiry);
    this.initialBackoffMs = options.podInitialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.podMaxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxInUnschedulableMs =
      options.podMaxInUnschedulablePodsDurationMs ??
      DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS;
    this.eventsToRegister = options.eventsToRegister;
    this.metrics = options.metrics;
  }

  /** Starts the periodic flush of long-parked pods. */
  run(): void {
    const tick = (): void => {
      if (this.closed) return;
      this.flushUnschedulablePodsLeftover();
      this.flushTimer = this.clock.setTimer(UNSCHEDULABLE_FLUSH_INTERVAL_MS, tick);
    };
    this.flushTimer = this.clock.setTimer(UNSCHEDULABLE_FLUSH_INTERVAL_MS, tick);
  }

  close(): void {
    this.closed = true;
    this.flushTimer?.cancel();
    this.backoffTimer?.cancel();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** A new pod to schedule (informer add). */
  add(pod: Readonly<Pod>): void {
    const key = podKey(pod);
    const now = this.clock.now();
    const existing = this.find(key);
    if (existing) {
      existing.pod = pod;
      return;
    }
    const info: QueuedPodInfo = {
      pod,
      timestamp: now,
      attempts: 0,
      initialAttemptTimestamp: now,
      unschedulablePlugins: new Set(),
    };
    this.toActive(info, 'PodAdd');
  }

  /** The pod changed (informer update of an unscheduled pod). */
  update(oldPod: Readonly<Pod>, newPod: Readonly<Pod>): void {
    const key = podKey(newPod);
    for (const heap of [this.activeQ, this.backoffQ, this.errorBackoffQ]) {
      const queued = heap.get(key);
      if (!queued) continue;
      queued.pod = newPod;
      heap.addOrUpdate(queued);
      return;
    }
    const parked = this.unschedulablePods.get(key);
    if (parked) {
      parked.pod = newPod;
      // Its spec or labels changed: what failed before may pass now.
      if (isPodUpdated(oldPod, newPod)) {
        this.unschedulablePods.delete(key);
        this.requeue(parked, 'PodUpdate');
      }
      return;
    }
    if (this.inFlight.has(key)) {
      // What is being decided may be stale: if this attempt fails, retry after backoff.
      if (isPodUpdated(oldPod, newPod)) this.updatedInFlight.add(key);
      return;
    }
    // Not queued and not in flight: a pod we had not seen (or lost); queue it.
    this.add(newPod);
  }

  delete(pod: Readonly<Pod>): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.errorBackoffQ.delete(key);
    this.unschedulablePods.delete(key);
  }

  /**
   * The next pod to schedule, in QueueSort order; with activeQ empty, the rejected pod whose
   * backoff ends first; else waits. Resolves undefined once the queue is closed.
   */
  async pop(): Promise<QueuedPodInfo | undefined> {
    while (this.activeQ.size === 0 && this.backoffQ.size === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.closed) return undefined;
    let info = this.activeQ.pop();
    if (!info) {
      info = this.backoffQ.pop();
      if (!info) return undefined;
      this.metrics?.incoming('active', 'PopFromBackoffQ');
      this.armBackoffTimer();
    }
    info.attempts++;
    this.schedulingCycle++;
    // Re-inserted, so the map stays in pop order: its first entry is the oldest in flight.
    this.inFlight.delete(infoKey(info));
    this.inFlight.set(infoKey(info), this.schedulingCycle);
    return info;
  }

  /** The pop this pod came from is finished (bound, parked, or given up). */
  done(pod: Readonly<Pod>): void {
    this.inFlight.delete(podKey(pod));
    this.updatedInFlight.delete(podKey(pod));
    if (this.inFlight.size === 0) {
      this.inFlightEvents = [];
      return;
    }
    // Events are kept in arrival order, so those no pod in flight can have missed are a prefix.
    // Called once per pod with up to maxConcurrentBindings in flight: no scan of all of them.
    const oldest = this.inFlight.values().next().value ?? this.schedulingCycle;
    let stale = 0;
    while (stale < this.inFlightEvents.length && (this.inFlightEvents[stale]?.cycle ?? 0) < oldest)
      stale++;
    if (stale > 0) this.inFlightEvents.splice(0, stale);
  }

  /**
   * After a failed attempt: park the pod until an event can help it, or, if it failed with an
   * error or such an event already came while it was in flight, back it off.
   */
  addUnschedulable(info: QueuedPodInfo): void {
    const key = infoKey(info);
    if (this.find(key)) return;
    const poppedAt = this.inFlight.get(key) ?? this.schedulingCycle;
    info.timestamp = this.clock.now();
    const missedEvent = this.inFlightEvents.some(
      (e) => e.cycle >= poppedAt && this.mayHelp(info, e.event, e.change),
    );
    if (info.unschedulablePlugins.size === 0 || missedEvent || this.updatedInFlight.has(key)) {
      this.toBackoff(info, 'ScheduleAttemptFailure');
    } else {
      this.unschedulablePods.set(key, info);
      this.metrics?.incoming('unschedulable', 'ScheduleAttemptFailure');
    }
    this.done(info.pod);
  }

  /**
   * Something changed in the cluster: every parked pod that a plugin rejected which registered
   * for this event (and whose hint, if it has one, says this change may help) is moved — to
   * backoffQ if its backoff has not ended, else to activeQ. `change` carries the objects for
   * the hints; without it every matching event queues.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, change?: ClusterChange): void {
    // Most events (every binding confirmed is an AssignedPodAdd) interest no plugin: skip them
    // without touching the parked pods.
    if (!this.anyPluginListensTo(event)) return;
    if (this.inFlight.size > 0) {
      this.inFlightEvents.push({
        cycle: this.schedulingCycle,
        event,
        ...(change && { change }),
      });
    }
    for (const [key, info] of this.unschedulablePods) {
      if (!this.mayHelp(info, event, change)) continue;
      this.unschedulablePods.delete(key);
      this.requeue(info, event.label);
    }
  }

  /** Pods waiting in each part, for scheduler_pending_pods and tests. */
  pendingPods(): Record<QueueName, number> {
    return {
      active: this.activeQ.size,
      backoff: this.backoffQ.size + this.errorBackoffQ.size,
      unschedulable: this.unschedulablePods.size,
    };
  }

  /** Where the pod is now, if queued (tests, and the explain endpoint later). */
  whereIs(pod: Readonly<Pod>): QueueName | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key) || this.errorBackoffQ.has(key)) return 'backoff';
    if (this.unschedulablePods.has(key)) return 'unschedulable';
    return undefined;
  }

  /** When the pod's current backoff ends: its last failure + initial × 2^(attempts−1), capped. */
  backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info.attempts);
  }

  /** The initial backoff after the first attempt, doubling per further attempt, capped. */
  private backoffDuration(attempts: number): number {
    return backoffDelay(
      { durationMs: this.initialBackoffMs, factor: 2, capMs: this.maxBackoffMs },
      Math.max(0, attempts - 1),
    );
  }

  private anyPluginListensTo(event: ClusterEvent): boolean {
    if (event.resource === '*') return true;
    for (const events of this.eventsToRegister.values()) {
      for (const registered of events) if (eventMatches(registered, event)) return true;
    }
    return false;
  }

  private mayHelp(info: QueuedPodInfo, event: ClusterEvent, change?: ClusterChange): boolean {
    if (event.resource === '*') return true;
    for (const plugin of info.unschedulablePlugins) {
      for (const registered of this.eventsToRegister.get(plugin) ?? []) {
        if (eventMatches(registered, event) && hintQueues(registered, info.pod, change)) {
          return true;
        }
      }
    }
    return false;
  }

  private requeue(info: QueuedPodInfo, event: string): void {
    if (this.backoffExpiry(info) > this.clock.now()) this.toBackoff(info, event);
    else this.toActive(info, event);
  }

  private find(key: string): QueuedPodInfo | undefined {
    return (
      this.activeQ.get(key) ??
      this.backoffQ.get(key) ??
      this.errorBackoffQ.get(key) ??
      this.unschedulablePods.get(key)
    );
  }

  private toActive(info: QueuedPodInfo, event: string): void {
    this.activeQ.addOrUpdate(info);
    this.metrics?.incoming('active', event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private toBackoff(info: QueuedPodInfo, event: string): void {
    // Without a rejecting plugin the attempt failed with an error (Kubernetes' podErrorBackoffQ).
    const rejected = info.unschedulablePlugins.size > 0;
    (rejected ? this.backoffQ : this.errorBackoffQ).addOrUpdate(info);
    this.metrics?.incoming('backoff', event);
    this.armBackoffTimer();
    // An idle pop takes it at once (see pop).
    if (rejected) for (const wake of this.waiters.splice(0)) wake();
  }

  /** One timer, for the earliest backoff end, so each pod leaves backoffQ exactly on time. */
  private armBackoffTimer(): void {
    const due = Math.min(this.expiryOfHead(this.backoffQ), this.expiryOfHead(this.errorBackoffQ));
    if (due === Infinity || this.closed) return;
    if (this.backoffTimer && this.backoffTimerDue <= due) return;
    this.backoffTimer?.cancel();
    this.backoffTimerDue = due;
    this.backoffTimer = this.clock.setTimer(Math.max(0, due - this.clock.now()), () => {
      this.backoffTimer = undefined;
      this.backoffTimerDue = Infinity;
      this.flushBackoffQCompleted();
    });
  }

  private expiryOfHead(heap: KeyedHeap<QueuedPodInfo>): number {
    const head = heap.peek();
    return head ? this.backoffExpiry(head) : Infinity;
  }

  private flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (const heap of [this.backoffQ, this.errorBackoffQ]) {
      for (let head = heap.peek(); head; head = heap.peek()) {
        if (this.backoffExpiry(head) > now) break;
        heap.pop();
        this.toActive(head, 'BackoffComplete');
      }
    }
    this.armBackoffTimer();
  }

  private flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    for (const [key, info] of this.unschedulablePods) {
      if (now - info.timestamp <= this.maxInUnschedulableMs) continue;
      this.unschedulablePods.delete(key);
      this.requeue(info, UnschedulableTimeout.label);
    }
  }
}
