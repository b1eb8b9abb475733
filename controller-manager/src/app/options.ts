// kube-controller-manager's options, with its flag names and defaults, and which controllers
// `--controllers` selects.

export interface ControllerManagerOptions {
  /** `--kubeconfig`; omitted: KUBECONFIG, then ~/.kube/config, as kubectl. */
  readonly kubeconfig?: string;
  /** `--master`: overrides the kubeconfig's server. */
  readonly master?: string;
  /** `--controllers`: names, `*` for the defaults, `-name` to turn one off. */
  readonly controllers: readonly string[];
  readonly leaderElect: boolean;
  readonly leaderElectLeaseDurationMs: number;
  readonly leaderElectRenewDeadlineMs: number;
  readonly leaderElectRetryPeriodMs: number;
  readonly leaderElectResourceNamespace: string;
  readonly leaderElectResourceName: string;
  readonly concurrentReplicaSetSyncs: number;
  readonly concurrentEndpointSyncs: number;
  readonly concurrentServiceEndpointSyncs: number;
  readonly concurrentDeploymentSyncs: number;
  readonly concurrentNamespaceSyncs: number;
  readonly concurrentGcSyncs: number;
  /** `--max-endpoints-per-slice`. */
  readonly maxEndpointsPerSlice: number;
  /** `--node-monitor-period`: how often node health is checked. */
  readonly nodeMonitorPeriodMs: number;
  /** `--node-monitor-grace-period`: silence after which a node is Unknown (40 s, Kubernetes 1.32). */
  readonly nodeMonitorGracePeriodMs: number;
  /** `--node-startup-grace-period`: the same for a node that never reported. */
  readonly nodeStartupGracePeriodMs: number;
  /** `--node-eviction-rate`: NoExecute taints per second per healthy zone. */
  readonly nodeEvictionRate: number;
  /** `--secondary-node-eviction-rate`: the same in a partially disrupted large zone. */
  readonly secondaryNodeEvictionRate: number;
  /** `--unhealthy-zone-threshold`: share of not-ready nodes that disrupts a zone. */
  readonly unhealthyZoneThreshold: number;
  /** `--large-cluster-size-threshold`: zones up to this size stop evicting when disrupted. */
  readonly largeClusterSizeThreshold: number;
  /** `--allocate-node-cidrs`: node IPAM hands out pod CIDRs (off by default, as Kubernetes). */
  readonly allocateNodeCidrs: boolean;
  /** `--cluster-cidr` the node CIDRs come from. */
  readonly clusterCidr: string;
  /** `--node-cidr-mask-size` of each node's CIDR. */
  readonly nodeCidrMaskSize: number;
  /** `--terminated-pod-gc-threshold`: terminated pods kept before the oldest go (0: all kept). */
  readonly terminatedPodGCThreshold: number;
  readonly kubeApiQps: number;
  readonly kubeApiBurst: number;
  /** `--bind-address` and `--port` of /healthz, /readyz and /metrics (0 picks a free port). */
  readonly bindAddress: string;
  readonly port: number;
}

export const defaultOptions: ControllerManagerOptions = {
  controllers: ['*'],
  leaderElect: true,
  leaderElectLeaseDurationMs: 15_000,
  leaderElectRenewDeadlineMs: 10_000,
  leaderElectRetryPeriodMs: 2_000,
  leaderElectResourceNamespace: 'kube-system',
  leaderElectResourceName: 'kube-controller-manager',
  concurrentReplicaSetSyncs: 5,
  concurrentEndpointSyncs: 5,
  concurrentServiceEndpointSyncs: 5,
  concurrentDeploymentSyncs: 5,
  concurrentNamespaceSyncs: 10,
  concurrentGcSyncs: 20,
  maxEndpointsPerSlice: 100,
  terminatedPodGCThreshold: 12_500,
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
  allocateNodeCidrs: false,
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  kubeApiQps: 20,
  kubeApiBurst: 30,
  bindAddress: '0.0.0.0',
  port: 10257,
};

/** Every controller name kube-controller-manager knows that skiff's issue covers. */
export const knownControllers = [
  'replicaset',
  'deployment',
  'endpoint',
  'endpointslice',
  'nodelifecycle',
  'nodeipam',
  'garbagecollector',
  'namespace',
  'podgc',
] as const;

export type ControllerName = (typeof knownControllers)[number];

/** Off unless named. (nodeipam is on, as in Kubernetes, but acts only with --allocate-node-cidrs.) */
const disabledByDefault: ReadonlySet<ControllerName> = new Set<ControllerName>();

/**
 * The controllers `--controllers` turns on, Kubernetes' rule: a name turns one on, `-name` off
 * (the first mention wins), and `*` turns on every default one not mentioned. Unknown names
 * are an error, as there.
 */
export function selectControllers(list: readonly string[]): ControllerName[] {
  const known = new Set<string>(knownControllers);
  for (const item of list) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (item !== '*' && !known.has(name)) {
      throw new Error(
        `"${name}" is not in the list of known controllers (${knownControllers.join(', ')})`,
      );
    }
  }
  const star = list.includes('*');
  return knownControllers.filter((name) => {
    for (const item of list) {
      if (item === name) return true;
      if (item === `-${name}`) return false;
    }
    return star && !disabledByDefault.has(name);
  });
}
