// kube-proxy's metrics, by Kubernetes' names (subsystem `kubeproxy`), on their own registry.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProxyMode } from './mode.js';

// prometheus.ExponentialBuckets(0.001, 2, 15), as kube-proxy.
const SYNC_BUCKETS = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly syncDuration = this.histogram(
    'kubeproxy_sync_proxy_rules_duration_seconds',
    'SyncProxyRules latency in seconds',
  );
  readonly fullSyncDuration = this.histogram(
    'kubeproxy_sync_full_proxy_rules_duration_seconds',
    'SyncProxyRules latency in seconds for full resyncs',
  );
  readonly partialSyncDuration = this.histogram(
    'kubeproxy_sync_partial_proxy_rules_duration_seconds',
    'SyncProxyRules latency in seconds for partial resyncs',
  );
  readonly lastSync = new Gauge({
    name: 'kubeproxy_sync_proxy_rules_last_timestamp_seconds',
    help: 'The last time proxy rules were successfully synced',
    registers: [this.registry],
  });
  readonly lastQueued = new Gauge({
    name: 'kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds',
    help: 'The last time a sync of proxy rules was queued',
    registers: [this.registry],
  });
  readonly serviceChangesPending = this.gauge(
    'kubeproxy_sync_proxy_rules_service_changes_pending',
    'Pending proxy rules Service changes',
  );
  readonly endpointChangesPending = this.gauge(
    'kubeproxy_sync_proxy_rules_endpoint_changes_pending',
    'Pending proxy rules Endpoint changes',
  );
  readonly serviceChanges = this.counter(
    'kubeproxy_sync_proxy_rules_service_changes_total',
    'Cumulative proxy rules Service changes',
  );
  readonly endpointChanges = this.counter(
    'kubeproxy_sync_proxy_rules_endpoint_changes_total',
    'Cumulative proxy rules Endpoint changes',
  );
  readonly iptablesRules = new Gauge({
    name: 'kubeproxy_sync_proxy_rules_iptables_total',
    help: 'Total number of iptables rules owned by kube-proxy',
    labelNames: ['table'],
    registers: [this.registry],
  });
  readonly nftablesObjects = new Gauge({
    name: 'kubeproxy_sync_proxy_rules_nftables_total',
    help: 'Total number of nftables rules and set/map elements owned by kube-proxy',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly restoreFailures = this.counter(
    'kubeproxy_sync_proxy_rules_iptables_restore_failures_total',
    'Cumulative proxy iptables restore failures',
  );
  readonly nftablesFailures = this.counter(
    'kubeproxy_sync_proxy_rules_nftables_sync_failures_total',
    'Cumulative proxy nftables sync failures',
  );
  readonly mode = new Gauge({
    name: 'kubeproxy_proxy_mode',
    help: 'The packet filter this proxy programs (1 for the mode in use)',
    labelNames: ['mode'],
    registers: [this.registry],
  });

  setMode(mode: ProxyMode): void {
    this.mode.set({ mode }, 1);
  }

  /** Programmed counts as a backend reports them. */
  setCounts(mode: ProxyMode, counts: Readonly<Record<string, number>>): void {
    for (const [name, value] of Object.entries(counts)) {
      if (mode === 'iptables') this.iptablesRules.set({ table: name }, value);
      else this.nftablesObjects.set({ type: name }, value);
    }
  }

  syncFailed(mode: ProxyMode): void {
    (mode === 'iptables' ? this.restoreFailures : this.nftablesFailures).inc();
  }

  private histogram(name: string, help: string): Histogram {
    return new Histogram({ name, help, buckets: SYNC_BUCKETS, registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }

  private counter(name: string, help: string): Counter {
    return new Counter({ name, help, registers: [this.registry] });
  }
}
