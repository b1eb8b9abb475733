// Prometheus metrics of the CRI server, named after the kubelet's own view of the same calls
// (kubelet_runtime_operations_total, …_duration_seconds, …_errors_total) so dashboards built for
// one read the other. Each server gets its own registry: two servers in one process (tests) never
// share counters, and nothing lands in prom-client's global registry by accident.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class RuntimeMetrics {
  readonly registry = new Registry();
  private readonly operations: Counter<'operation_type'>;
  private readonly errors: Counter<'operation_type' | 'code'>;
  private readonly duration: Histogram<'operation_type'>;

  constructor() {
    this.operations = new Counter({
      name: 'skiff_runtime_operations_total',
      help: 'CRI calls served, by method.',
      labelNames: ['operation_type'],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'skiff_runtime_operations_errors_total',
      help: 'CRI calls that failed, by method and gRPC status code.',
      labelNames: ['operation_type', 'code'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'skiff_runtime_operations_duration_seconds',
      help: 'Time to serve a CRI call, by method.',
      labelNames: ['operation_type'],
      // From an in-memory list (~1 ms) to an image pull or a slow stop (tens of seconds).
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'skiff_runtime_' });
  }

  /** Records one call: `code` is the gRPC status name for a failure, undefined for success. */
  observe(operation: string, seconds: number, code?: string): void {
    this.operations.inc({ operation_type: operation });
    this.duration.observe({ operation_type: operation }, seconds);
    if (code !== undefined) this.errors.inc({ operation_type: operation, code });
  }
}
