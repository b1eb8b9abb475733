// controller-runtime's controller metrics, with its names and labels so its dashboards work:
// how many reconciles by result, how many failed, how long they took, how many workers are busy.
// Like the workqueue's, the families are registered once per registry and shared by every
// controller on it (told apart by the `controller` label).
import { Counter, Gauge, Histogram, register as globalRegistry, type Registry } from 'prom-client';
import type { ResultLabel } from './result-to-queue.js';

interface ControllerFamilies {
  readonly total: Counter<'controller' | 'result'>;
  readonly errors: Counter<'controller'>;
  readonly terminalErrors: Counter<'controller'>;
  readonly time: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxConcurrent: Gauge<'controller'>;
}

// controller-runtime's buckets: 5 ms to 60 s.
const TIME_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
  1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

const RESULTS: readonly ResultLabel[] = ['success', 'error', 'requeue', 'requeue_after'];

const familiesByRegistry = new WeakMap<Registry, ControllerFamilies>();

function familiesFor(registry: Registry): ControllerFamilies {
  const existing = familiesByRegistry.get(registry);
  // A cleared registry (tests do that) needs the families registered again.
  if (existing && registry.getSingleMetric('controller_runtime_reconcile_total') === existing.total)
    return existing;
  const registers = [registry];
  const families: ControllerFamilies = {
    total: new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller, by result.',
      labelNames: ['controller', 'result'],
      registers,
    }),
    errors: new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller.',
      labelNames: ['controller'],
      registers,
    }),
    terminalErrors: new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller (not retried).',
      labelNames: ['controller'],
      registers,
    }),
    time: new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller.',
      labelNames: ['controller'],
      buckets: TIME_BUCKETS,
      registers,
    }),
    activeWorkers: new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller.',
      labelNames: ['controller'],
      registers,
    }),
    maxConcurrent: new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller.',
      labelNames: ['controller'],
      registers,
    }),
  };
  familiesByRegistry.set(registry, families);
  return families;
}

/** What one controller reports about its reconciles. */
export class ControllerMetrics {
  private readonly families: ControllerFamilies;
  private readonly labels: { controller: string };

  constructor(controller: string, maxConcurrentReconciles: number, registry?: Registry) {
    this.families = familiesFor(registry ?? globalRegistry);
    this.labels = { controller };
    // Every series visible at zero from the start: an idle controller shows 0, not "no data".
    for (const result of RESULTS) this.families.total.inc({ controller, result }, 0);
    this.families.errors.inc(this.labels, 0);
    this.families.terminalErrors.inc(this.labels, 0);
    this.families.activeWorkers.set(this.labels, 0);
    this.families.maxConcurrent.set(this.labels, maxConcurrentReconciles);
  }

  workerStarted(): void {
    this.families.activeWorkers.inc(this.labels);
  }

  workerFinished(): void {
    this.families.activeWorkers.dec(this.labels);
  }

  reconciled(result: ResultLabel, terminal: boolean, seconds: number): void {
    this.families.total.inc({ ...this.labels, result });
    if (result === 'error') this.families.errors.inc(this.labels);
    if (terminal) this.families.terminalErrors.inc(this.labels);
    this.families.time.observe(this.labels, seconds);
  }
}
