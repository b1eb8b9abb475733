// The kubelet's Prometheus metrics, with Kubernetes' names so dashboards written for a real
// kubelet read these: running pods and containers (from each PLEG relist), how long relists
// take, how long pods take from creation to all containers running, and evictions by signal.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface KubeletMetrics {
  readonly registry: Registry;
  readonly runningPods: Gauge;
  readonly runningContainers: Gauge<'container_state'>;
  readonly plegRelistDuration: Histogram;
  readonly podStartDuration: Histogram;
  readonly probeTotal: Counter<
    'probe_type' | 'result' | 'container' | 'pod' | 'namespace' | 'pod_uid'
  >;
  readonly evictions: Counter<'eviction_signal'>;
}

export function newKubeletMetrics(): KubeletMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    runningPods: new Gauge({
      name: 'kubelet_running_pods',
      help: 'Number of pods that have a running pod sandbox',
      registers: [registry],
    }),
    runningContainers: new Gauge({
      name: 'kubelet_running_containers',
      help: 'Number of containers currently running',
      labelNames: ['container_state'],
      registers: [registry],
    }),
    plegRelistDuration: new Histogram({
      name: 'kubelet_pleg_relist_duration_seconds',
      help: 'Duration in seconds for relisting pods in PLEG.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    probeTotal: new Counter({
      name: 'prober_probe_total',
      help: 'Cumulative number of a liveness, readiness or startup probe for a container by result.',
      labelNames: ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid'],
      registers: [registry],
    }),
    evictions: new Counter({
      name: 'kubelet_evictions',
      help: 'Cumulative number of pod evictions by eviction signal',
      labelNames: ['eviction_signal'],
      registers: [registry],
    }),
    podStartDuration: new Histogram({
      name: 'kubelet_pod_start_duration_seconds',
      help: 'Duration in seconds from the pod being created to all its containers running',
      buckets: [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600],
      registers: [registry],
    }),
  };
}
