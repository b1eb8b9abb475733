// The scheduler: informers feed the queue and the cache; one loop pops a pod, runs the
// synchronous scheduling cycle for it (snapshot → filter → score → assume → reserve → permit),
// and starts its binding cycle (prebind → bind → postbind) without waiting for it, so the next
// pod is being placed while the last one's binding is on the wire — the assumed pod in the cache
// already holds its node's resources.
//
//   failure                          what happens to the pod
//   no node fits (FitError)          PodScheduled=False/Unschedulable + FailedScheduling event;
//                                    parked until an event that can help (or the flush)
//   a plugin or the API failed       PodScheduled=False/SchedulerError + event; backoff queue
//   binding answered 409 or 404      forgotten: bound by someone else, or gone — never retried
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  errorMessage,
  isConflict,
  isNotFound,
  realClock,
  type Clock,
  type Node,
  type Pod,
  type Timer,
} from '@skiff/api';
import {
  SharedInformerFactory,
  stripManagedFields,
  type Client,
  type KubeObject,
  type SharedIndexInformer,
} from '@skiff/client';
import { register as globalRegistry, type Registry as MetricsRegistry } from 'prom-client';
import { Cache, Snapshot } from '../cache/index.js';
import {
  asErrorStatus,
  AssignedPodDelete,
  nameLabelOnly,
  ConfigError,
  NodeRotation,
  Status,
  type ClusterEvent,
  type CycleState,
  type Framework,
  type Handle,
  NO_SCORES,
  type NodeScoreTable,
  type QueuedPodInfo,
  type Registry,
} from '../framework/index.js';
import { RecordedDecision, winnerMessage, type DecisionStore } from '../explain/index.js';
import { inTreeRegistry } from '../plugins/registry.js';
import {
  buildFramework,
  defaultSchedulerConfig,
  DEFAULT_SCHEDULER_NAME,
  type SchedulerConfig,
} from '../profile/index.js';
import { SchedulingQueue } from '../queue/index.js';
import { BindingSlots } from './binding-slots.js';
import { ConcurrentEventRecorder } from './concurrent-events.js';
import { defaultSelector } from './default-selector.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';
import { FitError } from './fit-error.js';
import {
  PLUGIN_METRICS_FLUSH_INTERVAL_MS,
  SchedulerMetrics,
  type AttemptResult,
} from './metrics.js';
import { podScheduledPatch, type PodScheduledReason } from './pod-condition.js';
import { preemptionMessage } from './preemption-message.js';
import { schedulePod } from './schedule-pod.js';

export interface SchedulerOptions {
  readonly client: Client;
  /** Profiles, backoff, percentageOfNodesToScore; default: one default-scheduler profile. */
  readonly config?: SchedulerConfig;
  /** The plugins profiles may name; default the in-tree registry. */
  readonly registry?: Registry;
  readonly clock?: Clock;
  /** Where the scheduler_* metrics go; prom-client's global registry by default. */
  readonly metricsRegistry?: MetricsRegistry;
  /** The informer factory to share (one watch per resource per process); default a new one. */
  readonly informers?: SharedInformerFactory;
  readonly assumedPodTtlMs?: number;
  /**
   * Asked right before each write (binding, pod status): a leader whose lease may have passed to
   * another scheduler must write nothing. Default: always true.
   */
  readonly mayWrite?: () => boolean;
  /** Bindings in flight at most (default 64); more wait their turn, already assumed. */
  readonly maxConcurrentBindings?: number;
  /** Where each pod's latest decision is kept for explain; omitted: not kept. */
  readonly decisions?: DecisionStore;
  /** A number in [0, 1): ties between equally good nodes, plugin-metric sampling. */
  readonly random?: () => number;
  readonly log?: (message: string) => void;
}

export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly frameworks: ReadonlyMap<string, Framework>;
  readonly informers: SharedInformerFactory;
  readonly metrics: SchedulerMetrics;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (message: string) => void;
  private readonly mayWrite: () => boolean;
  private readonly decisions: DecisionStore | undefined;
  private readonly snapshot = new Snapshot();
  private readonly recorders = new Map<string, ConcurrentEventRecorder>();
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly bindings = new Set<Promise<void>>();
  private readonly bindingSlots: BindingSlots;
  /** Where the next attempt's Filter starts in the node list (round robin). */
  private readonly rotation = new NodeRotation();

  constructor(options: SchedulerOptions) {
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? ((m) => process.stderr.write(`scheduler: ${m}\n`));
    this.mayWrite = options.mayWrite ?? (() => true);
    this.decisions = options.decisions;
    this.bindingSlots = new BindingSlots(options.maxConcurrentBindings ?? 64);
    this.metrics = new SchedulerMetrics(options.metricsRegistry ?? globalRegistry);
    const config = options.config ?? defaultSchedulerConfig();
    // No plugin reads managedFields, and the scheduler writes nothing back from its cache (it
    // POSTs bindings and patches status): as kube-scheduler, it keeps its caches without them.
    this.informers =
      options.informers ??
      new SharedInformerFactory(this.client, {
        clock: this.clock,
        transform: stripManagedFields,
      });
    this.podInformer = this.informers.core.v1.pods();
    this.nodeInformer = this.informers.core.v1.nodes();
    // What plugins read besides pods and nodes: namespace labels (namespaceSelector) and the
    // workloads selecting a pod (PodTopologySpread's default constraints).
    const namespaces = this.informers.core.v1.namespaces().lister();
    const services = this.informers.core.v1.services().lister();
    const replicaSets = this.informers.apps.v1.replicaSets().lister();
    const handle: Handle = {
      snapshot: () => this.snapshot,
      client: this.client,
      clock: this.clock,
      namespaceLabels: (ns) => namespaces.get(ns)?.metadata.labels ?? nameLabelOnly(ns),
      defaultSelector: (pod) =>
        defaultSelector(pod, {
          services: (ns) => services.namespace(ns).list(),
          replicaSet: (ns, name) => replicaSets.get(ns, name),
        }),
    };
    const frameworks = new Map<string, Framework>();
    for (const profile of config.profiles) {
      const fwk = buildFramework(profile, {
        registry: options.registry ?? inTreeRegistry,
        handle,
        percentageOfNodesToScore: config.percentageOfNodesToScore,
        metrics: this.metrics.forProfile(profile.schedulerName),
        random: this.random,
      });
      frameworks.set(profile.schedulerName, fwk);
      this.recorders.set(
        profile.schedulerName,
        new ConcurrentEventRecorder(this.client, {
          component: profile.schedulerName,
          clock: this.clock,
          log: this.log,
        }),
      );
    }
    this.frameworks = frameworks;
    const [first] = frameworks.values();
    if (!first) throw new ConfigError('profiles', 'Required value: at least one profile');
    // One queue serves every profile, so they must agree on its order (as Kubernetes requires).
    for (const [i, fwk] of [...frameworks.values()].entries()) {
      if (fwk.plugins.queueSort.name !== first.plugins.queueSort.name) {
        throw new ConfigError(
          `profiles[${i}].plugins.queueSort`,
          'Invalid value: all profiles must use the same queue sort plugin',
        );
      }
    }
    const eventsToRegister = new Map<string, readonly ClusterEvent[]>();
    for (const fwk of frameworks.values())
      for (const [p, events] of fwk.eventsToRegister()) eventsToRegister.set(p, events);
    this.queue = new SchedulingQueue({
      clock: this.clock,
      less: (a, b) => first.queueSortLess(a, b),
      eventsToRegister,
      podInitialBackoffMs: config.podInitialBackoffMs,
      podMaxBackoffMs: config.podMaxBackoffMs,
      metrics: this.metrics,
    });
    const queue = this.queue;
    this.metrics.countPendingWith(() => queue.pendingPods());
    this.cache = new Cache({
      clock: this.clock,
      log: this.log,
      ...(options.assumedPodTtlMs !== undefined && { assumedPodTtlMs: options.assumedPodTtlMs }),
    });
    this.podInformer.addEventHandler(
      podEventHandler(this.cache, this.queue, new Set(frameworks.keys())),
    );
    this.nodeInformer.addEventHandler(nodeEventHandler(this.cache, this.queue));
  }

  /**
   * Starts the informers and resolves once their caches are filled. Every replica does this, so
   * a standby that wins the lease schedules from a warm cache at once.
   */
  async startInformers(signal: AbortSignal): Promise<void> {
    this.informers.start(signal);
    const synced = await this.informers.waitForCacheSync(signal);
    const unsynced = [...synced].filter(([, ok]) => !ok).map(([r]) => r);
    if (unsynced.length > 0 && !signal.aborted)
      throw new Error(`caches did not sync: ${unsynced.join(', ')}`);
  }

  hasSynced(): boolean {
    return this.podInformer.hasSynced() && this.nodeInformer.hasSynced();
  }

  /** Schedules until `signal` aborts, then waits for bindings in flight and queued events. */
  async run(signal: AbortSignal): Promise<void> {
    this.queue.run();
    this.cache.run();
    let flushTimer: Timer | undefined;
    const flushPluginMetrics = (): void => {
      this.metrics.flushPluginDurations();
      flushTimer = this.clock.setTimer(PLUGIN_METRICS_FLUSH_INTERVAL_MS, flushPluginMetrics);
    };
    flushTimer = this.clock.setTimer(PLUGIN_METRICS_FLUSH_INTERVAL_MS, flushPluginMetrics);
    const onAbort = (): void => this.queue.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const info = await this.queue.pop();
        if (!info) break;
        this.scheduleOne(info);
        // The cycle is synchronous: let watch events, binding answers and HTTP requests in.
        await yieldToEventLoop();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      flushTimer?.cancel();
      this.metrics.flushPluginDurations();
      this.queue.close();
      this.cache.close();
      await Promise.allSettled([...this.bindings]);
      await Promise.all([...this.recorders.values()].map((r) => r.shutdown()));
    }
  }

  /** Resolves when every binding started so far has finished (tests, shutdown). */
  async flushBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  /** One pod through the scheduling cycle; its binding cycle is started, not awaited. */
  scheduleOne(info: QueuedPodInfo): void {
    const started = performance.now();
    try {
      this.schedulingCycle(info, started);
    } catch (err) {
      // A bug must not stop the loop: the pod is backed off and retried like any error.
      this.log(`scheduling ${describeKey(info.pod)} failed: ${errorMessage(err)}`);
      const fwk = this.frameworks.get(info.pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME);
      if (fwk) this.failed(fwk, info, asErrorStatus(err), started);
      else this.queue.done(info.pod);
    }
  }

  private schedulingCycle(info: QueuedPodInfo, started: number): void {
    const pod = info.pod;
    const fwk = this.frameworks.get(pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME);
    if (!fwk || pod.metadata.deletionTimestamp || this.cache.isAssumedPod(pod)) {
      this.queue.done(pod);
      return;
    }
    const state = fwk.newCycleState();
    this.cache.updateSnapshot(this.snapshot);
    const result = schedulePod({
      fwk,
      state,
      pod,
      snapshot: this.snapshot,
      rotation: this.rotation,
      random: this.random,
    });
    if (result instanceof FitError) {
      const post =
        fwk.plugins.postFilter.length > 0
          ? fwk.runPostFilterPlugins(state, pod, result.diagnosis.statuses)
          : undefined;
      result.diagnosis.postFilterMsg =
        post?.messages.join(' ') ||
        preemptionMessage(pod, result.diagnosis.statuses, this.snapshot, result.numAllNodes);
      this.explain(info, null, result.message(), [], result.diagnosis.statuses, NO_SCORES);
      this.failed(fwk, info, result, started);
      return;
    }
    if (result instanceof Status) {
      this.explain(info, null, result.message(), [], new Map(), NO_SCORES);
      this.failed(fwk, info, result, started);
      return;
    }
    const host = result.suggestedHost;
    if (this.decisions) {
      const considered = result.feasible.length + result.rejected.size;
      const why = winnerMessage(host, result.scores, result.feasibleNodes, considered);
      this.explain(info, host, why, result.feasible, result.rejected, result.scores);
    }
    // Assume: the next attempt sees this node's resources taken, before the API knows.
    const assumed: Readonly<Pod> = { ...pod, spec: { ...pod.spec, nodeName: host } };
    this.cache.assumePod(assumed);
    const rejected =
      fwk.runReservePluginsReserve(state, assumed, host) ??
      fwk.runPermitPlugins(state, assumed, host);
    if (rejected) {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      this.failed(fwk, info, rejected, started);
      return;
    }
    const binding = this.bindingCycle(fwk, state, info, assumed, host, started);
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
  }

  private async bindingCycle(
    fwk: Framework,
    state: CycleState,
    info: QueuedPodInfo,
    assumed: Readonly<Pod>,
    host: string,
    started: number,
  ): Promise<void> {
    try {
      let status = await fwk.runPreBindPlugins(state, assumed, host);
      if (!status) {
        await this.bindingSlots.acquire();
        try {
          // Asked right before the write, nothing awaited in between: a leader paused past its
          // renew deadline finds out here and binds nothing.
          status = this.mayWrite()
            ? await fwk.runBindPlugins(state, assumed, host)
            : new Status('Error', ['not binding: this scheduler is no longer the leader']);
        } finally {
          this.bindingSlots.release();
        }
      }
      if (status) {
        this.bindingFailed(fwk, state, info, assumed, host, status, started);
        return;
      }
      this.cache.finishBinding(assumed);
      fwk.runPostBindPlugins(state, assumed, host);
      this.queue.done(info.pod);
      this.metrics.attempt('scheduled', fwk.profileName, (performance.now() - started) / 1000);
      this.metrics.scheduled(
        info.attempts,
        (this.clock.now() - info.initialAttemptTimestamp) / 1000,
      );
      // The message built here rather than by util.format: this runs for every pod.
      this.recorder(fwk).event(
        podReference(assumed),
        'Normal',
        'Scheduled',
        `Successfully assigned ${describeKey(assumed)} to ${host}`,
      );
    } catch (err) {
      this.log(`binding cycle for ${describeKey(assumed)} failed: ${errorMessage(err)}`);
      this.cache.forgetPod(assumed);
      this.queue.done(info.pod);
    }
  }

  private bindingFailed(
    fwk: Framework,
    state: CycleState,
    info: QueuedPodInfo,
    assumed: Readonly<Pod>,
    host: string,
    status: Status,
    started: number,
  ): void {
    fwk.runReservePluginsUnreserve(state, assumed, host);
    this.cache.forgetPod(assumed);
    // What the assumption held is free again: parked pods may fit now (as Kubernetes, the
    // assumed pod is the deleted object the hints judge).
    this.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, { oldObj: assumed });
    if (isConflict(status.cause) || isNotFound(status.cause)) {
      // Already bound (another scheduler won the race), being deleted, or gone: nothing to retry.
      this.log(
        `not retrying ${describeKey(assumed)}: binding to ${host} answered ${status.message()}`,
      );
      this.queue.done(info.pod);
      this.metrics.attempt('error', fwk.profileName, (performance.now() - started) / 1000);
      return;
    }
    this.failed(fwk, info, status, started);
  }

  /** Kubernetes' handleSchedulingFailure: tell the user, then park or back off the pod. */
  private failed(
    fwk: Framework,
    info: QueuedPodInfo,
    failure: FitError | Status,
    started: number,
  ): void {
    const unschedulable = failure instanceof FitError || failure.isRejected();
    const result: AttemptResult = unschedulable ? 'unschedulable' : 'error';
    this.metrics.attempt(result, fwk.profileName, (performance.now() - started) / 1000);
    const message = failure instanceof FitError ? failure.message() : failure.message();
    info.unschedulablePlugins = new Set(
      failure instanceof FitError
        ? failure.diagnosis.unschedulablePlugins
        : unschedulable
          ? [failure.plugin]
          : [],
    );
    const reason: PodScheduledReason = unschedulable ? 'Unschedulable' : 'SchedulerError';
    // The informer's latest: a pod deleted or bound meanwhile is not queued again.
    const latest = this.podInformer
      .lister()
      .get(info.pod.metadata.namespace ?? '', info.pod.metadata.name ?? '');
    if (!latest || latest.metadata.uid !== info.pod.metadata.uid || latest.spec.nodeName) {
      this.queue.done(info.pod);
      return;
    }
    info.pod = latest;
    this.queue.addUnschedulable(info);
    // Events and conditions are writes too: a scheduler that is no longer the leader makes none.
    if (!this.mayWrite()) return;
    this.recorder(fwk).event(podReference(latest), 'Warning', 'FailedScheduling', message);
    this.writeCondition(latest, reason, message);
  }

  private writeCondition(pod: Readonly<Pod>, reason: PodScheduledReason, message: string): void {
    const patch = podScheduledPatch(
      pod,
      reason,
      message,
      new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    if (!patch) return;
    this.client
      .pods(pod.metadata.namespace ?? '')
      .patch(pod.metadata.name ?? '', patch, { type: 'strategic', subresource: 'status' })
      .catch((err: unknown) => {
        if (!isNotFound(err))
          this.log(
            `updating the PodScheduled condition of ${describeKey(pod)}: ${errorMessage(err)}`,
          );
      });
  }

  private explain(
    info: QueuedPodInfo,
    node: string | null,
    message: string,
    feasible: readonly string[],
    rejected: ReadonlyMap<string, Status>,
    scores: NodeScoreTable,
  ): void {
    if (!this.decisions) return;
    const time = new Date(this.clock.now()).toISOString();
    const summary = { pod: describeKey(info.pod), attempt: info.attempts, time, node, message };
    this.decisions.record(new RecordedDecision(summary, feasible, rejected, scores));
  }

  private recorder(fwk: Framework): ConcurrentEventRecorder {
    const recorder = this.recorders.get(fwk.profileName);
    if (!recorder) throw new Error(`no event recorder for profile ${fwk.profileName}`);
    return recorder;
  }
}

/**
 * Events need apiVersion and kind, which objects from a list do not always carry. The event
 * refers to the pod by its metadata alone: no copy of the whole pod per event.
 */
function podReference(pod: Readonly<Pod>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata };
}

function describeKey(pod: Readonly<Pod>): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
