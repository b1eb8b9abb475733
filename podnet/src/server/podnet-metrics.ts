// The pod network's metrics, on their own registry. flannel exports none; the names follow
// kube-proxy's (`<subsystem>_sync_…_duration_seconds`, `…_last_timestamp_seconds`), with the
// subsystem `podnet`. The fast path's counters are read from its BPF map when scraped.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FastPathCounters } from '../fast-path/fast-path.js';

// prometheus.ExponentialBuckets(0.001, 2, 15), as kube-proxy's sync histograms.
const SYNC_BUCKETS = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);

export class PodNetworkMetrics {
  readonly registry = new Registry();
  readonly syncDuration = new Histogram({
    name: 'podnet_sync_routes_duration_seconds',
    help: 'Latency of one sync of the pod network (routes, VXLAN entries, masquerade, fast path) in seconds',
    buckets: SYNC_BUCKETS,
    registers: [this.registry],
  });
  readonly lastSync = new Gauge({
    name: 'podnet_sync_routes_last_timestamp_seconds',
    help: 'The last time the pod network was successfully synced',
    registers: [this.registry],
  });
  readonly syncFailures = new Counter({
    name: 'podnet_sync_routes_failures_total',
    help: 'Syncs of the pod network that failed',
    registers: [this.registry],
  });
  readonly routedNodes = new Gauge({
    name: 'podnet_routed_nodes',
    help: 'Other nodes this node routes to (their podCIDR), or cannot (state="unroutable")',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly fastPathEnabled = new Gauge({
    name: 'podnet_fast_path_enabled',
    help: 'Whether pod-to-pod packets between nodes take the BPF fast path (1) or the stack (0)',
    registers: [this.registry],
  });

  constructor(readFastPath: () => Promise<FastPathCounters | undefined>) {
    // Counters that live in the kernel: set from the map at each scrape, not counted here.
    const fromMap = (
      name: string,
      help: string,
      pick: (c: FastPathCounters) => readonly [toNodes: bigint, toPods: bigint],
    ): void => {
      new Counter({
        name,
        help,
        labelNames: ['direction'],
        registers: [this.registry],
        async collect() {
          const counters = await readFastPath();
          this.reset();
          if (counters === undefined) return;
          const [toNodes, toPods] = pick(counters);
          this.inc({ direction: 'to-nodes' }, Number(toNodes));
          this.inc({ direction: 'to-pods' }, Number(toPods));
        },
      });
    };
    fromMap(
      'podnet_fast_path_packets_total',
      "Packets the fast path forwarded, out of this node's pods (to-nodes) or into them (to-pods)",
      (c) => [c.toNodesPackets, c.toPodsPackets],
    );
    fromMap(
      'podnet_fast_path_bytes_total',
      "Bytes the fast path forwarded, out of this node's pods (to-nodes) or into them (to-pods)",
      (c) => [c.toNodesBytes, c.toPodsBytes],
    );
  }
}
