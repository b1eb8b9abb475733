// The scheduler's Prometheus metrics, with Kubernetes' names, labels and buckets, so dashboards
// written for kube-scheduler read skiff's too.
import { Counter, Gauge, Histogram, exponentialBuckets, type Registry } from 'prom-client';
import type { Code, FrameworkMetrics } from '../framework/index.js';
import type { QueueMetrics, QueueName } from '../queue/index.js';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

/**
 * Plugin timings waiting for the histogram (Kubernetes' MetricsAsyncRecorder: a buffer of 1,000
 * flushed every second, newer observations dropped while it is full). A sampled attempt times
 * every Filter call on hundreds of nodes; observing each into the histogram at once would cost
 * more than the filtering itself.
 */
export const PLUGIN_METRICS_BUFFER_SIZE = 1000;
export const PLUGIN_METRICS_FLUSH_INTERVAL_MS = 1000;

interface PluginObservation {
  readonly plugin: string;
  readonly point: string;
  readonly code: Code;
  readonly seconds: number;
}

export class SchedulerMetrics implements QueueMetrics {
  private readonly attempts: Counter<'result' | 'profile'>;
  private readonly attemptDuration: Histogram<'result' | 'profile'>;
  private readonly pendingPods: Gauge<'queue'>;
  private readonly sliDuration: Histogram<'attempts'>;
  private readonly extensionPointDuration: Histogram<'extension_point' | 'status' | 'profile'>;
  private readonly pluginDuration: Histogram<'plugin' | 'extension_point' | 'status'>;
  private readonly incomingPods: Counter<'queue' | 'event'>;
  private pluginObservations: PluginObservation[] = [];
  private countPending: (() => Record<QueueName, number>) | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result. Unschedulable means a pod could not be scheduled, while error means an internal scheduler problem.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
      labelNames: ['result', 'profile'],
      buckets: exponentialBuckets(0.001, 2, 15),
      registers,
    });
    this.pendingPods = new Gauge({
      name: 'scheduler_pending_pods',
      help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods.",
      labelNames: ['queue'],
      registers,
      // Counted when scraped: every pod moves between queues several times, a scrape is rare.
      collect: () => {
        const counts = this.countPending?.();
        if (!counts) return;
        for (const [queue, count] of Object.entries(counts)) this.pendingPods.set({ queue }, count);
      },
    });
    this.sliDuration = new Histogram({
      name: 'scheduler_pod_scheduling_sli_duration_seconds',
      help: 'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.',
      labelNames: ['attempts'],
      buckets: exponentialBuckets(0.01, 2, 20),
      registers,
    });
    this.extensionPointDuration = new Histogram({
      name: 'scheduler_framework_extension_point_duration_seconds',
      help: 'Latency for running all plugins of a specific extension point.',
      labelNames: ['extension_point', 'status', 'profile'],
      buckets: exponentialBuckets(0.0001, 2, 12),
      registers,
    });
    this.pluginDuration = new Histogram({
      name: 'scheduler_plugin_execution_duration_seconds',
      help: 'Duration for running a plugin at a specific extension point (sampled).',
      labelNames: ['plugin', 'extension_point', 'status'],
      buckets: exponentialBuckets(0.00001, 1.5, 20),
      registers,
    });
    this.incomingPods = new Counter({
      name: 'scheduler_queue_incoming_pods_total',
      help: 'Number of pods added to scheduling queues by event and queue type.',
      labelNames: ['queue', 'event'],
      registers,
    });
  }

  attempt(result: AttemptResult, profile: string, seconds: number): void {
    this.attempts.inc({ result, profile });
    this.attemptDuration.observe({ result, profile }, seconds);
  }

  scheduled(attempts: number, sinceFirstQueuedSeconds: number): void {
    this.sliDuration.observe({ attempts: String(attempts) }, sinceFirstQueuedSeconds);
  }

  incoming(queue: QueueName, event: string): void {
    this.incomingPods.inc({ queue, event });
  }

  /** Where scheduler_pending_pods{queue} is read from when scraped (the scheduling queue). */
  countPendingWith(count: () => Record<QueueName, number>): void {
    this.countPending = count;
  }

  /** Moves the buffered plugin timings into scheduler_plugin_execution_duration_seconds. */
  flushPluginDurations(): void {
    const pending = this.pluginObservations;
    this.pluginObservations = [];
    for (const o of pending) {
      this.pluginDuration.observe(
        { plugin: o.plugin, extension_point: o.point, status: o.code },
        o.seconds,
      );
    }
  }

  /** The framework's timings, labelled with its profile. */
  forProfile(profile: string): FrameworkMetrics {
    return {
      extensionPoint: (point: string, code: Code, seconds: number) =>
        this.extensionPointDuration.observe(
          { extension_point: point, status: code, profile },
          seconds,
        ),
      plugin: (plugin: string, point: string, code: Code, seconds: number) => {
        if (this.pluginObservations.length < PLUGIN_METRICS_BUFFER_SIZE)
          this.pluginObservations.push({ plugin, point, code, seconds });
      },
      acceptsPluginSamples: () => this.pluginObservations.length < PLUGIN_METRICS_BUFFER_SIZE,
    };
  }
}
