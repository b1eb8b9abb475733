// The eviction manager (Kubernetes' eviction_manager.go): every monitoring interval (10 s) it
// reads the node's signals, decides (decide.ts) which pressure conditions the node reports and
// which thresholds to act on, and, when one has been met for its grace period, first frees what
// the node itself can (node-reclaim.ts: dead containers and unused images for disk pressure) —
// if the signals then clear their thresholds plus minimum reclaim, no pod goes — else evicts at
// most one pod — the first in rank for the starved signal that is not critical — then waits for that
// pod's containers to be gone (up to 30 s) before it looks again, so one eviction's relief is
// measured before the next. The evicted pod is killed (1 s grace for a hard threshold, at most
// evictionMaxPodGracePeriod for a soft one) and ends Failed with reason Evicted.
import { errorMessage, sleepUnlessAborted, type Clock, type Pod } from '@skiff/api';
import { CONFIG_SOURCE_ANNOTATION, isMirrorPod } from '../config/static-pod-manifest.js';
import {
  decide,
  INITIAL_EVICTION_STATE,
  thresholdsMet,
  type EvictionState,
  type Observations,
} from './decide.js';
import { evictionMessage, type EvictionMessage } from './message.js';
import type { NodeReclaimFunc } from './node-reclaim.js';
import { rankForEviction, type PodUsage } from './rank.js';
import {
  isHardThreshold,
  SIGNAL_RESOURCE,
  type PressureCondition,
  type Signal,
  type Threshold,
} from './thresholds.js';

export const MONITORING_INTERVAL_MS = 10_000;
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;
const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS = 1;
const POD_CLEANUP_TIMEOUT_MS = 30_000;
const POD_CLEANUP_POLL_MS = 1000;
/** Pods at or above system-cluster-critical's priority are never evicted. */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

export interface Eviction extends EvictionMessage {
  readonly gracePeriodSeconds: number;
  /** The signal whose threshold made this eviction (kubelet_evictions' label). */
  readonly signal: Signal;
}

export interface EvictionManagerOptions {
  readonly clock: Clock;
  readonly thresholds: readonly Threshold[];
  /** evictionPressureTransitionPeriod (5 min). */
  readonly pressureTransitionPeriodMs?: number;
  /** evictionMaxPodGracePeriod: the most a soft eviction waits for a pod (0: the pod's own). */
  readonly maxPodGracePeriodSeconds?: number;
  readonly monitoringIntervalMs?: number;
  readonly observe: () => Promise<Observations>;
  /** Per pod UID, what its containers use; for a disk signal, logs and local volumes too. */
  readonly podUsage: (signal: Signal) => Promise<ReadonlyMap<string, PodUsage>>;
  /** The signal's node-level reclaim, tried before any pod is evicted (signalToNodeReclaimFuncs). */
  readonly nodeReclaimFuncs?: (signal: Signal) => readonly NodeReclaimFunc[];
  /** The runtime's images are on a filesystem of their own (changes what disk ranking counts). */
  readonly dedicatedImageFs?: () => boolean;
  /** The pods that may be running here: bound to this node, not finished, not being deleted. */
  readonly activePods: () => readonly Readonly<Pod>[];
  /** Stops the pod and makes it Failed/Evicted; resolves once that is under way. */
  readonly evict: (pod: Readonly<Pod>, eviction: Eviction) => Promise<void>;
  /** Whether none of the pod's containers runs any more. */
  readonly podCleanedUp: (pod: Readonly<Pod>) => Promise<boolean>;
  /** An Event about the Node (EvictionThresholdMet). */
  readonly nodeEvent: (reason: string, message: string) => void;
  /** The pressure conditions changed (the node status is written sooner). */
  readonly onConditionsChanged?: () => void;
  readonly log: (message: string) => void;
}

/** Static and mirror pods, and pods of system-critical priority (kubelettypes.IsCriticalPod). */
export function isCriticalPod(pod: Readonly<Pod>): boolean {
  const source = pod.metadata.annotations?.[CONFIG_SOURCE_ANNOTATION];
  const isStatic = source !== undefined && source !== 'api';
  return isStatic || isMirrorPod(pod) || (pod.spec.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

export class EvictionManager {
  private state: EvictionState = INITIAL_EVICTION_STATE;
  private current: readonly PressureCondition[] = [];

  constructor(private readonly options: EvictionManagerOptions) {}

  /** The pressure conditions the node reports now. */
  conditions(): readonly PressureCondition[] {
    return this.current;
  }

  /** Loops until `signal` aborts; after an eviction it waits for the pod to be cleaned up. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    while (!signal.aborted) {
      let evicted: Readonly<Pod>[] = [];
      try {
        evicted = await this.synchronize();
      } catch (err) {
        this.options.log(`eviction manager: ${errorMessage(err)}`);
      }
      if (evicted.length > 0) await this.waitForCleanup(evicted, signal);
      else if (
        !(await sleepUnlessAborted(
          clock,
          this.options.monitoringIntervalMs ?? MONITORING_INTERVAL_MS,
          signal,
        ))
      ) {
        break;
      }
    }
  }

  /** One round: observe, decide, and evict at most one pod. Returns the pods evicted. */
  async synchronize(): Promise<Readonly<Pod>[]> {
    const { clock, thresholds } = this.options;
    if (thresholds.length === 0) return [];
    const observations = await this.options.observe();
    const decision = decide(
      this.state,
      thresholds,
      observations,
      clock.now(),
      this.options.pressureTransitionPeriodMs ?? PRESSURE_TRANSITION_PERIOD_MS,
    );
    this.state = decision.state;
    const changed =
      decision.conditions.length !== this.current.length ||
      decision.conditions.some((c) => !this.current.includes(c));
    this.current = decision.conditions;
    if (changed) this.options.onConditionsChanged?.();

    const [toReclaim] = decision.actOn;
    if (toReclaim === undefined) return [];
    const resource = SIGNAL_RESOURCE[toReclaim.signal];
    this.options.nodeEvent('EvictionThresholdMet', `Attempting to reclaim ${resource}`);
    if (await this.reclaimNodeLevelResources(toReclaim.signal, resource)) {
      this.options.log(
        `eviction manager: able to reduce ${resource} pressure without evicting pods`,
      );
      return [];
    }
    const active = this.options.activePods();
    if (active.length === 0) {
      this.options.log(
        `eviction manager: ${toReclaim.signal} threshold met, but no pods are active to evict`,
      );
      return [];
    }
    const usage = await this.options.podUsage(toReclaim.signal);
    const stats = (pod: Readonly<Pod>): PodUsage | undefined => usage.get(pod.metadata.uid ?? '');
    const dedicatedImageFs = this.options.dedicatedImageFs?.() ?? false;
    for (const pod of rankForEviction(toReclaim.signal, active, stats, dedicatedImageFs)) {
      if (isCriticalPod(pod)) {
        this.options.log(`eviction manager: cannot evict a critical pod ${podName(pod)}`);
        continue;
      }
      const message = evictionMessage(resource, pod, stats, decision.actOn, observations);
      await this.options.evict(pod, {
        ...message,
        gracePeriodSeconds: this.gracePeriodFor(toReclaim, pod),
        signal: toReclaim.signal,
      });
      this.options.log(`eviction manager: evicted pod ${podName(pod)}: ${message.message}`);
      return [pod];
    }
    this.options.log('eviction manager: unable to evict any pods from the node');
    return [];
  }

  /**
   * Runs the signal's node-level reclaim (each step's failure logged, the rest still tried), then
   * observes again: true when no threshold is met any more, its minimum reclaim included — the
   * pressure is gone without evicting anyone.
   */
  private async reclaimNodeLevelResources(signal: Signal, resource: string): Promise<boolean> {
    const funcs = this.options.nodeReclaimFuncs?.(signal) ?? [];
    if (funcs.length === 0) return false;
    for (const reclaim of funcs) {
      try {
        await reclaim();
      } catch (err) {
        this.options.log(
          `eviction manager: unexpected error when attempting to reduce ${resource} pressure: ${errorMessage(err)}`,
        );
      }
    }
    const observations = await this.options.observe();
    return thresholdsMet(this.options.thresholds, observations, true).length === 0;
  }

  private gracePeriodFor(threshold: Threshold, pod: Readonly<Pod>): number {
    if (isHardThreshold(threshold)) return IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS;
    const own = pod.spec.terminationGracePeriodSeconds ?? 30;
    const max = this.options.maxPodGracePeriodSeconds ?? 0;
    return max > 0 ? Math.min(own, max) : own;
  }

  private async waitForCleanup(pods: readonly Readonly<Pod>[], signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const deadline = clock.now() + POD_CLEANUP_TIMEOUT_MS;
    while (clock.now() < deadline) {
      if (!(await sleepUnlessAborted(clock, POD_CLEANUP_POLL_MS, signal))) return;
      try {
        const done = await Promise.all(pods.map((p) => this.options.podCleanedUp(p)));
        if (done.every(Boolean)) return;
      } catch (err) {
        this.options.log(`eviction manager: checking evicted pods: ${errorMessage(err)}`);
      }
    }
    this.options.log(
      `eviction manager: timed out waiting for ${pods.map(podName).join(', ')} to be cleaned up`,
    );
  }
}

function podName(pod: Readonly<Pod>): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}
