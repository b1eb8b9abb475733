// Counters and a histogram for the per-query hot path. prom-client's own validate and hash
// their label object on every inc() and observe() — more than resolving a cluster name costs —
// so these keep each series in a Map under a caller-chosen string key (the labels are built
// once per series) and hand Prometheus their values through the registry's collector interface
// at scrape time. Rarer metrics stay prom-client's.
import type { Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

interface Sample {
  readonly labels: Labels;
  readonly value: number;
  readonly metricName?: string;
}

/** What prom-client's Registry asks of a metric (the shape its own classes have). */
interface Collector {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Sample[] }>;
}

abstract class Series<T> implements Collector {
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum' as const;
  protected readonly series = new Map<string, { labels: Labels; value: T }>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
  ) {
    // Sound: this object has every member Registry reads; its typings name prom-client's classes.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series under `key`, made from `labels()` the first time. */
  protected at(key: string, labels: () => Labels, initial: () => T): { labels: Labels; value: T } {
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: labels(), value: initial() };
      this.series.set(key, entry);
    }
    return entry;
  }

  protected abstract samples(): Sample[];

  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: 'sum';
    values: Sample[];
  }> {
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values: this.samples() });
  }
}

export class CounterSeries extends Series<number> {
  readonly type = 'counter' as const;

  inc(key: string, labels: () => Labels): void {
    this.at(key, labels, () => 0).value++;
  }

  protected samples(): Sample[] {
    return [...this.series.values()].map(({ labels, value }) => ({ labels, value }));
  }
}

interface Buckets {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class HistogramSeries extends Series<Buckets> {
  readonly type = 'histogram' as const;

  constructor(
    registry: Registry,
    name: string,
    help: string,
    private readonly bounds: readonly number[],
  ) {
    super(registry, name, help);
  }

  observe(key: string, labels: () => Labels, value: number): void {
    const buckets = this.at(key, labels, () => ({
      counts: this.bounds.map(() => 0),
      sum: 0,
      count: 0,
    })).value;
    const i = this.bounds.findIndex((bound) => value <= bound);
    if (i >= 0) buckets.counts[i] = (buckets.counts[i] ?? 0) + 1;
    buckets.sum += value;
    buckets.count++;
  }

  protected samples(): Sample[] {
    return [...this.series.values()].flatMap(({ labels, value }) => {
      let cumulative = 0;
      const buckets = this.bounds.map((bound, i) => {
        cumulative += value.counts[i] ?? 0;
        return {
          labels: { ...labels, le: String(bound) },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        };
      });
      return [
        ...buckets,
        {
          labels: { ...labels, le: '+Inf' },
          value: value.count,
          metricName: `${this.name}_bucket`,
        },
        { labels, value: value.sum, metricName: `${this.name}_sum` },
        { labels, value: value.count, metricName: `${this.name}_count` },
      ];
    });
  }
}
