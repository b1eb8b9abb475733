// Workqueue metrics, named and labelled like client-go's so existing dashboards and alerts read
// them unchanged. Every queue with a name reports into the same seven metric families on a
// registry, told apart by the `name` label: creating a second queue (or a second controller) must
// not try to register the families again, which prom-client would reject.
import { type Clock } from '@skiff/api';
import { Counter, Gauge, Histogram, register as globalRegistry, type Registry } from 'prom-client';

/** What a queue reports as keys move through it. */
export interface QueueMetrics {
  /** A key became dirty (it was not already waiting). */
  add(key: string): void;
  /** A worker took the key out of the queue. */
  get(key: string): void;
  /** The worker finished with the key. */
  done(key: string): void;
  /** The key was scheduled to come back later (addAfter / addRateLimited). */
  retry(): void;
  /** The queue has shut down with nothing in flight: stop reporting its unfinished work. */
  release(): void;
}

/** Queues without a name report nothing, as in client-go. */
export const noQueueMetrics: QueueMetrics = {
  add: () => undefined,
  get: () => undefined,
  done: () => undefined,
  retry: () => undefined,
  release: () => undefined,
};

// client-go's buckets: ten nanoseconds to a thousand seconds, one bucket per power of ten.
const DURATION_BUCKETS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

interface WorkqueueFamilies {
  readonly depth: Gauge<'name'>;
  readonly adds: Counter<'name'>;
  readonly queueDuration: Histogram<'name'>;
  readonly workDuration: Histogram<'name'>;
  readonly retries: Counter<'name'>;
  /** Queues whose in-flight work the two "unfinished" gauges add up when scraped. */
  readonly live: Set<NamedQueueMetrics>;
}

const familiesByRegistry = new WeakMap<Registry, WorkqueueFamilies>();

function familiesFor(registry: Registry): WorkqueueFamilies {
  const existing = familiesByRegistry.get(registry);
  // A registry that was cleared (tests do that between cases) needs the families registered anew.
  if (existing && registry.getSingleMetric('workqueue_depth') === existing.depth) return existing;
  const live = new Set<NamedQueueMetrics>();
  const registers = [registry];
  const labelNames = ['name'] as const;
  const families: WorkqueueFamilies = {
    live,
    depth: new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue: keys waiting to be processed.',
      labelNames,
      registers,
    }),
    adds: new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue (duplicates of a waiting key not counted).',
      labelNames,
      registers,
    }),
    queueDuration: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds a key stays in workqueue before a worker takes it.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    workDuration: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds a worker holds a key, from get to done.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    retries: new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries (delayed or rate-limited adds) handled by workqueue.',
      labelNames,
      registers,
    }),
  };
  // The two in-flight gauges are computed when scraped rather than by a ticking loop (client-go
  // updates them every 500 ms): the figure is exact at the moment it is read, and an idle queue
  // keeps no timer alive.
  new Gauge({
    name: 'workqueue_unfinished_work_seconds',
    help:
      'Seconds of work in progress that has not been observed by work_duration yet. Large ' +
      'values indicate stuck workers; watch how fast it grows.',
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [name, inFlight] of inFlightByName(live)) this.set({ name }, inFlight.total);
    },
  });
  new Gauge({
    name: 'workqueue_longest_running_processor_seconds',
    help: 'How many seconds the longest-running worker of workqueue has been holding its key.',
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [name, inFlight] of inFlightByName(live)) this.set({ name }, inFlight.longest);
    },
  });
  familiesByRegistry.set(registry, families);
  return families;
}

interface InFlight {
  total: number;
  longest: number;
}

function inFlightByName(live: Iterable<NamedQueueMetrics>): Map<string, InFlight> {
  const byName = new Map<string, InFlight>();
  for (const queue of live) {
    const sum = byName.get(queue.name) ?? { total: 0, longest: 0 };
    for (const seconds of queue.processingSeconds()) {
      sum.total += seconds;
      sum.longest = Math.max(sum.longest, seconds);
    }
    byName.set(queue.name, sum);
  }
  return byName;
}

class NamedQueueMetrics implements QueueMetrics {
  // When each waiting key was first added, and when each in-flight key was taken. A key added
  // again while it waits keeps its first time: queue duration is how long the work waited.
  private readonly addTimes = new Map<string, number>();
  private readonly processingStartTimes = new Map<string, number>();
  private readonly labels: { name: string };

  constructor(
    readonly name: string,
    private readonly families: WorkqueueFamilies,
    private readonly clock: Clock,
  ) {
    this.labels = { name };
    families.live.add(this);
    // Make every series visible at zero from the start, so a dashboard shows an idle queue
    // rather than no data.
    families.depth.inc(this.labels, 0);
    families.adds.inc(this.labels, 0);
    families.retries.inc(this.labels, 0);
  }

  add(key: string): void {
    this.families.adds.inc(this.labels);
    this.families.depth.inc(this.labels);
    if (!this.addTimes.has(key)) this.addTimes.set(key, this.clock.now());
  }

  get(key: string): void {
    const now = this.clock.now();
    this.families.depth.dec(this.labels);
    const addedAt = this.addTimes.get(key);
    if (addedAt !== undefined) {
      this.families.queueDuration.observe(this.labels, seconds(now - addedAt));
      this.addTimes.delete(key);
    }
    this.processingStartTimes.set(key, now);
  }

  done(key: string): void {
    const startedAt = this.processingStartTimes.get(key);
    if (startedAt === undefined) return;
    this.families.workDuration.observe(this.labels, seconds(this.clock.now() - startedAt));
    this.processingStartTimes.delete(key);
  }

  retry(): void {
    this.families.retries.inc(this.labels);
  }

  release(): void {
    this.families.live.delete(this);
  }

  *processingSeconds(): Iterable<number> {
    const now = this.clock.now();
    for (const startedAt of this.processingStartTimes.values()) yield seconds(now - startedAt);
  }
}

function seconds(ms: number): number {
  return ms / 1000;
}

export interface QueueMetricsOptions {
  /** The queue's name, the `name` label of every series. Without one nothing is reported. */
  readonly name?: string;
  /** Where the families are registered; prom-client's global registry by default. */
  readonly registry?: Registry;
  readonly clock: Clock;
}

export function queueMetrics(options: QueueMetricsOptions): QueueMetrics {
  if (options.name === undefined || options.name === '') return noQueueMetrics;
  const families = familiesFor(options.registry ?? globalRegistry);
  return new NamedQueueMetrics(options.name, families, options.clock);
}
