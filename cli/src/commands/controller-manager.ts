// `skiff controller-manager`: kube-controller-manager — the selected controllers in one process
// under one leader election (Lease kube-system/kube-controller-manager), with its flag names.
import { errorMessage, parseDuration } from '@skiff/api';
import {
  defaultOptions,
  knownControllers,
  startControllerManager,
  type ControllerManagerOptions,
} from '@skiff/controller-manager';
import type { Command } from './command.js';
import { parseFlags, parsePort } from './flags.js';

const d = defaultOptions;
const seconds = (ms: number): string => `${ms / 1000}s`;

const help = `usage: skiff controller-manager [--kubeconfig <file>] [--controllers <list>] [flags]

  --kubeconfig                          kubeconfig to reach the apiserver (default: KUBECONFIG, ~/.kube/config)
  --master                              apiserver URL, overriding the kubeconfig's
  --controllers                         comma-separated: '*' for the defaults, 'name' to add one, '-name'
                                        to remove one (default '*'); known: ${knownControllers.join(', ')}
  --leader-elect                        run only while holding the Lease (default true; --leader-elect=false)
  --leader-elect-lease-duration         (default ${seconds(d.leaderElectLeaseDurationMs)})
  --leader-elect-renew-deadline         (default ${seconds(d.leaderElectRenewDeadlineMs)})
  --leader-elect-retry-period           (default ${seconds(d.leaderElectRetryPeriodMs)})
  --leader-elect-resource-namespace     (default ${d.leaderElectResourceNamespace})
  --leader-elect-resource-name          (default ${d.leaderElectResourceName})
  --concurrent-replicaset-syncs         ReplicaSets synced at once (default ${d.concurrentReplicaSetSyncs})
  --concurrent-endpoint-syncs           services whose Endpoints are synced at once (default ${d.concurrentEndpointSyncs})
  --concurrent-service-endpoint-syncs   services whose EndpointSlices are synced at once (default ${d.concurrentServiceEndpointSyncs})
  --concurrent-deployment-syncs         Deployments synced at once (default ${d.concurrentDeploymentSyncs})
  --concurrent-namespace-syncs          namespaces being emptied at once (default ${d.concurrentNamespaceSyncs})
  --concurrent-gc-syncs                 garbage collector workers (default ${d.concurrentGcSyncs})
  --max-endpoints-per-slice             (default ${d.maxEndpointsPerSlice})
  --node-monitor-period                 how often node health is checked (default ${seconds(d.nodeMonitorPeriodMs)})
  --node-monitor-grace-period           silence before a node is Unknown (default ${seconds(d.nodeMonitorGracePeriodMs)}, as Kubernetes 1.32)
  --node-startup-grace-period           the same for a node that never reported (default ${seconds(d.nodeStartupGracePeriodMs)})
  --node-eviction-rate                  NoExecute taints per second per zone (default ${d.nodeEvictionRate})
  --secondary-node-eviction-rate        in a partially disrupted large zone (default ${d.secondaryNodeEvictionRate})
  --unhealthy-zone-threshold            share of not-ready nodes that disrupts a zone (default ${d.unhealthyZoneThreshold})
  --large-cluster-size-threshold        (default ${d.largeClusterSizeThreshold})
  --allocate-node-cidrs                 node IPAM gives each node a pod CIDR (default false)
  --cluster-cidr                        where node CIDRs come from (default ${d.clusterCidr})
  --node-cidr-mask-size                 size of each node's CIDR (default ${d.nodeCidrMaskSize})
  --terminated-pod-gc-threshold         terminated pods kept before the oldest are deleted
                                        (default ${d.terminatedPodGCThreshold}; 0 keeps all)
  --kube-api-qps, --kube-api-burst      client rate limit (default ${d.kubeApiQps}, ${d.kubeApiBurst})
  --bind-address                        address of /healthz, /readyz, /metrics (default ${d.bindAddress})
  --port                                their port, plain HTTP (default ${d.port}; 0 picks one)
`;

const stringFlags = [
  'kubeconfig',
  'master',
  'controllers',
  'leader-elect',
  'leader-elect-lease-duration',
  'leader-elect-renew-deadline',
  'leader-elect-retry-period',
  'leader-elect-resource-namespace',
  'leader-elect-resource-name',
  'concurrent-replicaset-syncs',
  'concurrent-endpoint-syncs',
  'concurrent-service-endpoint-syncs',
  'concurrent-deployment-syncs',
  'concurrent-namespace-syncs',
  'concurrent-gc-syncs',
  'max-endpoints-per-slice',
  'terminated-pod-gc-threshold',
  'allocate-node-cidrs',
  'node-monitor-period',
  'node-monitor-grace-period',
  'node-startup-grace-period',
  'node-eviction-rate',
  'secondary-node-eviction-rate',
  'unhealthy-zone-threshold',
  'large-cluster-size-threshold',
  'cluster-cidr',
  'node-cidr-mask-size',
  'kube-api-qps',
  'kube-api-burst',
  'bind-address',
  'port',
] as const;

const boolFlags = new Set(['leader-elect', 'allocate-node-cidrs']);

type Values = Partial<Record<(typeof stringFlags)[number], string>>;

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new Error(`--${flag} ${JSON.stringify(text)}: not a positive integer`);
  }
  return Number(text);
}

function nonNegativeInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${flag} ${JSON.stringify(text)}: not a number`);
  return Number(text);
}

function nonNegativeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new Error(`--${flag} ${JSON.stringify(text)}: not a number ≥ 0`);
  }
  return n;
}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    throw new Error(`--${flag}: ${errorMessage(err)}`, { cause: err });
  }
  if (ms < 0) throw new Error(`--${flag}: a duration must not be negative, got ${text}`);
  return ms;
}

function bool(flag: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === 'true' || text === '') return true;
  if (text === 'false') return false;
  throw new Error(`--${flag} ${JSON.stringify(text)}: want true or false`);
}

/** The options the flags say; throws, naming the flag, on a bad value. */
export function optionsFromFlags(v: Values): ControllerManagerOptions {
  const qps = v['kube-api-qps'] === undefined ? d.kubeApiQps : Number(v['kube-api-qps']);
  if (!Number.isFinite(qps) || qps <= 0) throw new Error('--kube-api-qps: not a positive number');
  return {
    ...(v.kubeconfig !== undefined && { kubeconfig: v.kubeconfig }),
    ...(v.master !== undefined && { master: v.master }),
    controllers:
      v.controllers === undefined
        ? d.controllers
        : v.controllers
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
    leaderElect: bool('leader-elect', v['leader-elect'], d.leaderElect),
    leaderElectLeaseDurationMs: duration(
      'leader-elect-lease-duration',
      v['leader-elect-lease-duration'],
      d.leaderElectLeaseDurationMs,
    ),
    leaderElectRenewDeadlineMs: duration(
      'leader-elect-renew-deadline',
      v['leader-elect-renew-deadline'],
      d.leaderElectRenewDeadlineMs,
    ),
    leaderElectRetryPeriodMs: duration(
      'leader-elect-retry-period',
      v['leader-elect-retry-period'],
      d.leaderElectRetryPeriodMs,
    ),
    leaderElectResourceNamespace:
      v['leader-elect-resource-namespace'] ?? d.leaderElectResourceNamespace,
    leaderElectResourceName: v['leader-elect-resource-name'] ?? d.leaderElectResourceName,
    concurrentReplicaSetSyncs: positiveInt(
      'concurrent-replicaset-syncs',
      v['concurrent-replicaset-syncs'],
      d.concurrentReplicaSetSyncs,
    ),
    concurrentEndpointSyncs: positiveInt(
      'concurrent-endpoint-syncs',
      v['concurrent-endpoint-syncs'],
      d.concurrentEndpointSyncs,
    ),
    concurrentServiceEndpointSyncs: positiveInt(
      'concurrent-service-endpoint-syncs',
      v['concurrent-service-endpoint-syncs'],
      d.concurrentServiceEndpointSyncs,
    ),
    concurrentDeploymentSyncs: positiveInt(
      'concurrent-deployment-syncs',
      v['concurrent-deployment-syncs'],
      d.concurrentDeploymentSyncs,
    ),
    concurrentNamespaceSyncs: positiveInt(
      'concurrent-namespace-syncs',
      v['concurrent-namespace-syncs'],
      d.concurrentNamespaceSyncs,
    ),
    concurrentGcSyncs: positiveInt(
      'concurrent-gc-syncs',
      v['concurrent-gc-syncs'],
      d.concurrentGcSyncs,
    ),
    maxEndpointsPerSlice: positiveInt(
      'max-endpoints-per-slice',
      v['max-endpoints-per-slice'],
      d.maxEndpointsPerSlice,
    ),
    terminatedPodGCThreshold: nonNegativeInt(
      'terminated-pod-gc-threshold',
      v['terminated-pod-gc-threshold'],
      d.terminatedPodGCThreshold,
    ),
    nodeMonitorPeriodMs: duration(
      'node-monitor-period',
      v['node-monitor-period'],
      d.nodeMonitorPeriodMs,
    ),
    nodeMonitorGracePeriodMs: duration(
      'node-monitor-grace-period',
      v['node-monitor-grace-period'],
      d.nodeMonitorGracePeriodMs,
    ),
    nodeStartupGracePeriodMs: duration(
      'node-startup-grace-period',
      v['node-startup-grace-period'],
      d.nodeStartupGracePeriodMs,
    ),
    nodeEvictionRate: nonNegativeNumber(
      'node-eviction-rate',
      v['node-eviction-rate'],
      d.nodeEvictionRate,
    ),
    secondaryNodeEvictionRate: nonNegativeNumber(
      'secondary-node-eviction-rate',
      v['secondary-node-eviction-rate'],
      d.secondaryNodeEvictionRate,
    ),
    unhealthyZoneThreshold: nonNegativeNumber(
      'unhealthy-zone-threshold',
      v['unhealthy-zone-threshold'],
      d.unhealthyZoneThreshold,
    ),
    largeClusterSizeThreshold: nonNegativeInt(
      'large-cluster-size-threshold',
      v['large-cluster-size-threshold'],
      d.largeClusterSizeThreshold,
    ),
    allocateNodeCidrs: bool('allocate-node-cidrs', v['allocate-node-cidrs'], d.allocateNodeCidrs),
    clusterCidr: v['cluster-cidr'] ?? d.clusterCidr,
    nodeCidrMaskSize: positiveInt(
      'node-cidr-mask-size',
      v['node-cidr-mask-size'],
      d.nodeCidrMaskSize,
    ),
    kubeApiQps: qps,
    kubeApiBurst: positiveInt('kube-api-burst', v['kube-api-burst'], d.kubeApiBurst),
    bindAddress: v['bind-address'] ?? d.bindAddress,
    port: v.port === undefined ? d.port : parsePort('--port', v.port),
  };
}

export const controllerManagerCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff controller-manager', help, {
      // As with Go's pflag, a bare boolean flag means true; `--flag=false` turns it off.
      args: args.map((arg) =>
        boolFlags.has(arg.slice(2)) && arg.startsWith('--') ? `${arg}=true` : arg,
      ),
      options: {
        ...Object.fromEntries(stringFlags.map((f) => [f, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (typeof parsed === 'number') return parsed;
    let options: ControllerManagerOptions;
    try {
      options = optionsFromFlags(parsed.values as Values);
    } catch (err) {
      process.stderr.write(`skiff controller-manager: ${errorMessage(err)}\n\n${help}`);
      return 2;
    }
    const stop = new AbortController();
    const log = (message: string): void => {
      process.stderr.write(`controller-manager: ${message}\n`);
    };
    let run;
    try {
      run = await startControllerManager(options, stop.signal, { log });
    } catch (err) {
      process.stderr.write(`skiff controller-manager: ${errorMessage(err)}\n`);
      return 1;
    }
    process.stdout.write(
      `skiff controller-manager: controllers ${run.started.join(', ') || '(none)'}\n`,
    );
    if (run.disabled.length > 0) {
      process.stdout.write(
        `skiff controller-manager: turned off by their flags: ${run.disabled.join(', ')}\n`,
      );
    }
    if (run.notImplemented.length > 0) {
      process.stdout.write(
        `skiff controller-manager: not written in skiff yet, skipped: ${run.notImplemented.join(', ')}\n`,
      );
    }
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) process.exit(1);
      signalled = true;
      process.stdout.write(`skiff controller-manager: ${signal}, shutting down\n`);
      stop.abort();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      await run.done;
      return 0;
    } catch (err) {
      process.stderr.write(`skiff controller-manager: ${errorMessage(err)}\n`);
      return 1;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};
