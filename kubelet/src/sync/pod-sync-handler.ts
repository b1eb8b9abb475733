// What one pod worker sync does, by where the pod is in its life (Kubernetes' kubelet.go
// SyncPod, SyncTerminatingPod and SyncTerminatedPod, chosen from the API's view of the pod):
//
//   running     — carry out the plan over CRI, then hand the fresh status to the status manager
//   terminating — deletionTimestamp set: stop every container with the grace period, write the
//                 final status, and have the status manager delete the pod with grace 0
//   finished    — phase Succeeded/Failed: nothing runs again; stop what is left
//   gone        — no such pod in the API (deleted, or never ours): stop and remove it from the
//                 runtime, forget it; its worker ends
//
// Beside them, two ways a running pod ends early, Failed with the kubelet's reason: its
// activeDeadlineSeconds ran out (DeadlineExceeded), or the eviction manager chose it (Evicted).
//
// Every stage plans from the pod cache, as upstream's syncs do: the runtime is read for a pod
// only when the cache has nothing usable for it (a new pod the last relist did not see has
// nothing to read), and once more after a sync's own actions changed the pod — that read gives
// the status written to the API and is what the next sync plans from. It asks for the pod's
// objects by ID (those it had and those just made), with no listing. A sync with nothing to do
// (a status write coming back through the informer, the periodic resync) asks the runtime
// nothing. A sync that fails half-way marks the pod stale, so the next one lists it afresh.
import type { Clock, Pod, PodCondition, PodStatus } from '@skiff/api';
import {
  getPodStatus,
  getPodStatusOf,
  type PodRef,
  type RuntimePodStatus,
} from '../container/index.js';
import { changesRuntime } from '../kuberuntime/compute-pod-actions.js';
import type { PodCache } from '../pleg/pod-cache.js';
import type { RuntimeService } from '../cri/index.js';
import type { KeyedBackoff } from '../kuberuntime/backoff.js';
import {
  DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
  type KubeRuntimeManager,
  type SyncResult,
} from '../kuberuntime/runtime-manager.js';
import { podRefOfPod } from '../kuberuntime/sandbox-config.js';
import type { Rejection } from '../eviction/admit.js';
import { EVICTED_REASON } from '../eviction/message.js';
import type { SyncOutcome } from '../pod-workers/pod-workers.js';
import type { ProberManager } from '../prober/prober-manager.js';
import { rfc3339, type WaitingReason } from '../status/container-statuses.js';
import { generateAPIPodStatus } from '../status/generate-status.js';
import type { StatusManager } from '../status/status-manager.js';

/** Kubernetes never kills with less than this, even for a pod force-deleted with grace 0. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export interface PodSyncHandlerOptions {
  readonly runtime: RuntimeService;
  readonly manager: KubeRuntimeManager;
  readonly statusManager: StatusManager;
  /** The pods' runtime states (kept fresh by the PLEG and by these syncs). */
  readonly cache: PodCache;
  readonly clock: Clock;
  /** The pod as the API has it (the informer's copy), if it exists and is bound here. */
  readonly podByUid: (uid: string) => Readonly<Pod> | undefined;
  readonly runtimeName: () => string;
  readonly hostIPs: () => readonly string[];
  readonly backoffs: readonly KeyedBackoff[];
  readonly prober: ProberManager;
  /** Told once per pod when all its containers first run (kubelet_pod_start_duration_seconds). */
  readonly onPodStarted?: (pod: Readonly<Pod>, seconds: number) => void;
  /** Unmounts and removes a pod's volumes (an evicted pod's tmpfs is memory to give back). */
  readonly tearDownVolumes?: (uid: string) => Promise<void>;
  /**
   * Admission of a pod that has not run here yet (the eviction manager's, under pressure):
   * a rejection makes it Failed without ever starting. Asked once per pod.
   */
  readonly admit?: (pod: Readonly<Pod>) => Rejection | undefined;
  /** Told once when a pod is rejected (the kubelet records its Event). */
  readonly onRejected?: (pod: Readonly<Pod>, rejection: Rejection) => void;
  readonly log?: (message: string) => void;
}

/** How the eviction manager ends a pod: its grace period and what its status says. */
export interface PodEviction {
  readonly gracePeriodSeconds: number;
  readonly message: string;
}

const NOTHING_CREATED: SyncResult['created'] = { sandboxes: [], containers: [] };

/** Upstream's condition for a pod the kubelet evicted. */
const DISRUPTION_TARGET = 'DisruptionTarget';
const TERMINATION_BY_KUBELET = 'TerminationByKubelet';

interface AbnormalEnd {
  readonly gracePeriodSeconds: number;
  readonly reason: string;
  readonly message: string;
  readonly condition?: Omit<PodCondition, 'lastTransitionTime'>;
  /** Unmount the pod's volumes once it is stopped. */
  readonly tearDownVolumes: boolean;
}

export class PodSyncHandler {
  /** Pods seen running, so the start duration is reported once. */
  private readonly started = new Set<string>();
  /** Pods the eviction manager chose, by UID, until they are gone. */
  private readonly evictions = new Map<string, PodEviction>();
  /** The admission verdict per pod UID (undefined: admitted), until the pod is gone. */
  private readonly admissions = new Map<string, Rejection | undefined>();

  constructor(private readonly options: PodSyncHandlerOptions) {}

  /**
   * Marks the pod evicted; its next sync stops it and makes it Failed/Evicted (the caller asks
   * the pod workers for that sync). A pod being deleted is left to its deletion.
   */
  evict(uid: string, eviction: PodEviction): void {
    this.evictions.set(uid, eviction);
  }

  /** Whether the pod was chosen for eviction (it is then no longer an eviction candidate). */
  isEvicted(uid: string): boolean {
    return this.evictions.has(uid);
  }

  async sync(uid: string): Promise<SyncOutcome> {
    const { cache } = this.options;
    try {
      return await this.syncStage(uid);
    } catch (err) {
      cache.markStale(uid, cache.ticket());
      throw err;
    }
  }

  private async syncStage(uid: string): Promise<SyncOutcome> {
    const pod = this.options.podByUid(uid);
    if (!pod) return this.syncGone({ uid, name: '', namespace: '' });
    if (pod.metadata.deletionTimestamp !== undefined) return this.syncTerminating(pod);
    const eviction = this.evictions.get(uid);
    if (eviction !== undefined) {
      return this.syncTerminatedAbnormally(pod, {
        gracePeriodSeconds: eviction.gracePeriodSeconds,
        reason: EVICTED_REASON,
        message: eviction.message,
        condition: {
          type: DISRUPTION_TARGET,
          status: 'True',
          reason: TERMINATION_BY_KUBELET,
          message: eviction.message,
        },
        tearDownVolumes: true,
      });
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return this.syncFinished(pod);
    const rejection = await this.admission(pod);
    if (rejection !== undefined) {
      return this.syncTerminatedAbnormally(pod, {
        gracePeriodSeconds: 0,
        reason: rejection.reason,
        message: `Pod was rejected: ${rejection.message}`,
        tearDownVolumes: false,
      });
    }
    return this.syncRunning(pod);
  }

  /** A pod the runtime already has (adopted after a restart) was admitted before. */
  private async admission(pod: Readonly<Pod>): Promise<Rejection | undefined> {
    const uid = pod.metadata.uid ?? '';
    if (this.options.admit === undefined) return undefined;
    if (this.admissions.has(uid)) return this.admissions.get(uid);
    let verdict = this.options.admit(pod);
    if (verdict !== undefined) {
      const runtime = await this.runtimeStatus(podRefOfPod(pod));
      if (runtime.sandboxes.length > 0) verdict = undefined;
    }
    this.admissions.set(uid, verdict);
    if (verdict !== undefined) this.options.onRejected?.(pod, verdict);
    return verdict;
  }

  private async syncRunning(pod: Readonly<Pod>): Promise<SyncOutcome> {
    const { manager, prober } = this.options;
    const ref = podRefOfPod(pod);
    const deadlineIn = this.activeDeadlineRemaining(pod);
    if (deadlineIn !== undefined && deadlineIn <= 0) {
      return this.syncTerminatedAbnormally(pod, {
        gracePeriodSeconds:
          pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
        reason: 'DeadlineExceeded',
        message: 'Pod was active on the node longer than the specified deadline',
        tearDownVolumes: false,
      });
    }
    prober.addPod(pod);
    const before = await this.runtimeStatus(ref);
    const result = await manager.syncPod(pod, before, (id) => prober.probeFailure(id));
    const after = changesRuntime(result.actions)
      ? await this.readAfter(ref, before, result)
      : before;
    this.writeStatus(pod, after, result.reasons, false);
    const requeue = Math.min(result.requeueAfterMs ?? Infinity, deadlineIn ?? Infinity);
    return requeue === Infinity ? {} : { requeueAfterMs: requeue };
  }

  /** Milliseconds until activeDeadlineSeconds runs out, counted from the pod's startTime. */
  private activeDeadlineRemaining(pod: Readonly<Pod>): number | undefined {
    const seconds = pod.spec.activeDeadlineSeconds;
    if (seconds === undefined) return undefined;
    const started = Date.parse(pod.status?.startTime ?? '');
    const from = Number.isNaN(started) ? this.options.clock.now() : started;
    return from + seconds * 1000 - this.options.clock.now();
  }

  /**
   * Upstream's TerminatePodAbnormally: the pod is stopped with the given grace period and made
   * Failed with the kubelet's reason (DeadlineExceeded, Evicted); being final, it never starts
   * again. Repeating it is harmless: nothing left to stop, the same status.
   */
  private async syncTerminatedAbnormally(
    pod: Readonly<Pod>,
    end: AbnormalEnd,
  ): Promise<SyncOutcome> {
    const { statusManager, clock } = this.options;
    this.options.prober.removePod(pod.metadata.uid ?? '');
    const runtime = await this.killPod(pod, end.gracePeriodSeconds);
    const status = this.status(pod, runtime, new Map(), true);
    const conditions = status.conditions ?? [];
    if (end.condition !== undefined && !conditions.some((c) => c.type === end.condition?.type)) {
      conditions.push({
        ...end.condition,
        lastTransitionTime: rfc3339(clock.now()),
      });
    }
    statusManager.setPodStatus(pod, {
      ...status,
      conditions,
      phase: 'Failed',
      reason: end.reason,
      message: end.message,
    });
    if (end.tearDownVolumes) await this.options.tearDownVolumes?.(pod.metadata.uid ?? '');
    return {};
  }

  private async syncTerminating(pod: Readonly<Pod>): Promise<SyncOutcome> {
    this.options.prober.removePod(pod.metadata.uid ?? '');
    const grace =
      pod.metadata.deletionGracePeriodSeconds ??
      pod.spec.terminationGracePeriodSeconds ??
      DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
    const runtime = await this.killPod(pod, Math.max(grace, MINIMUM_GRACE_PERIOD_SECONDS));
    const status = this.status(pod, runtime, new Map(), true);
    this.options.statusManager.terminatePod(pod, status);
    return {};
  }

  private async syncFinished(pod: Readonly<Pod>): Promise<SyncOutcome> {
    const grace =
      pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
    const runtime = await this.killPod(pod, grace);
    this.writeStatus(pod, runtime, new Map(), true);
    return {};
  }

  /** Stops what still runs of the pod; its runtime state afterwards. */
  private async killPod(pod: Readonly<Pod>, gracePeriodSeconds: number): Promise<RuntimePodStatus> {
    const ref = podRefOfPod(pod);
    const before = await this.runtimeStatus(ref);
    const stopped = await this.options.manager.killPod(pod, before, gracePeriodSeconds);
    return stopped ? this.readKnown(ref, before, NOTHING_CREATED) : before;
  }

  /** The pod's runtime state from the cache, read from the runtime if the cache has none. */
  private runtimeStatus(ref: PodRef): Promise<RuntimePodStatus> {
    const cached = this.options.cache.get(ref);
    return cached === undefined ? this.readRuntime(ref) : Promise.resolve(cached);
  }

  /** Reads the pod's runtime state (after this sync changed it, or with nothing cached). */
  private async readRuntime(ref: PodRef): Promise<RuntimePodStatus> {
    const { cache, runtime } = this.options;
    const ticket = cache.ticket();
    const status = await getPodStatus(runtime, ref);
    cache.set(ref.uid, status, ticket);
    return status;
  }

  /** The pod's state after a sync that changed it. */
  private readAfter(
    ref: PodRef,
    before: RuntimePodStatus,
    result: SyncResult,
  ): Promise<RuntimePodStatus> {
    // A CreateContainer that failed may still have made a container, one with no known ID.
    const unknownMade = [...result.reasons.values()].some(
      (r) => r.reason === 'CreateContainerError',
    );
    return unknownMade ? this.readRuntime(ref) : this.readKnown(ref, before, result.created);
  }

  /**
   * Reads again what the pod had (`before`, complete: only this pod's worker makes its objects)
   * and what this sync made, by ID.
   */
  private async readKnown(
    ref: PodRef,
    before: RuntimePodStatus,
    created: SyncResult['created'],
  ): Promise<RuntimePodStatus> {
    const { cache, runtime } = this.options;
    const ticket = cache.ticket();
    const status = await getPodStatusOf(runtime, ref, {
      sandboxes: [...before.sandboxes.map((s) => s.id), ...created.sandboxes],
      containers: [...before.containers.map((c) => c.id), ...created.containers],
    });
    cache.set(ref.uid, status, ticket);
    return status;
  }

  private async syncGone(ref: PodRef): Promise<SyncOutcome> {
    const { runtime, manager, statusManager, cache } = this.options;
    this.options.prober.removePod(ref.uid);
    // Read afresh, not from the cache: what is removed must be everything the pod left behind.
    const status = await getPodStatus(runtime, ref);
    const stopped = await manager.killPod(undefined, status, MINIMUM_GRACE_PERIOD_SECONDS);
    await manager.removePod(stopped ? await getPodStatus(runtime, ref) : status);
    cache.delete(ref.uid);
    for (const backoff of this.options.backoffs) backoff.resetPrefix(`${ref.uid}/`);
    statusManager.forget(ref.uid);
    this.started.delete(ref.uid);
    this.evictions.delete(ref.uid);
    this.admissions.delete(ref.uid);
    return { finished: true };
  }

  private writeStatus(
    pod: Readonly<Pod>,
    runtime: RuntimePodStatus,
    reasons: ReadonlyMap<string, WaitingReason>,
    podIsTerminal: boolean,
  ): void {
    if (!podIsTerminal) this.options.prober.updateContainers(pod.metadata.uid ?? '', runtime);
    const status = this.status(pod, runtime, reasons, podIsTerminal);
    this.options.statusManager.setPodStatus(pod, status);
    const uid = pod.metadata.uid ?? '';
    const allRunning = (status.containerStatuses ?? []).every((c) => c.state?.running);
    if (status.phase === 'Running' && allRunning && !this.started.has(uid)) {
      this.started.add(uid);
      const created = Date.parse(pod.metadata.creationTimestamp ?? '');
      if (!Number.isNaN(created)) {
        this.options.onPodStarted?.(pod, Math.max(0, this.options.clock.now() - created) / 1000);
      }
    }
  }

  private status(
    pod: Readonly<Pod>,
    runtime: RuntimePodStatus,
    reasons: ReadonlyMap<string, WaitingReason>,
    podIsTerminal: boolean,
  ): PodStatus {
    return generateAPIPodStatus({
      pod,
      runtime,
      reasons,
      runtimeName: this.options.runtimeName(),
      hostIPs: this.options.hostIPs(),
      podIsTerminal,
      now: this.options.clock.now(),
      probeResult: (id, type) => this.options.prober.results.get(id, type),
    });
  }
}
