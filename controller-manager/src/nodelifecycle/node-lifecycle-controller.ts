// Node lifecycle (Kubernetes' nodelifecycle controller), the health monitor: every
// --node-monitor-period it looks at each node's heartbeats — its Lease in kube-node-lease and
// its Ready condition's lastHeartbeatTime — as this process observes them, on its own clock
// (never comparing clocks across machines). A node silent for --node-monitor-grace-period (or
// --node-startup-grace-period if it never reported) gets all its conditions Unknown and its
// pods Ready=False. Its taints follow its conditions: NoSchedule ones at once, the NoExecute one
// (which evicts pods, see taint-eviction-controller.ts) rate limited per zone. A node that comes
// back loses them.
import {
  errorMessage,
  TokenBucket,
  type Lease,
  type Node,
  type NodeCondition,
  type Pod,
} from '@skiff/api';
import type { Client, Lister, Reconciler, Result } from '@skiff/client';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ControllerContext, WorkSink } from '../controller/types.js';
import { rfc3339 } from '../meta/time.js';
import { isPodReady } from '../podutil/pod.js';
import { condition, noExecuteTaint, noScheduleTaints, withOwnedTaints } from './taints.js';
import { allFullyDisrupted, evictionRate, zoneHealth, zoneOf, type ZoneHealth } from './zones.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const MONITOR_KEY = 'node-health';
/** The conditions a kubelet posts, which go Unknown together when it falls silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface NodeLifecycleOptions {
  readonly nodeMonitorPeriodMs: number;
  readonly nodeMonitorGracePeriodMs: number;
  readonly nodeStartupGracePeriodMs: number;
  readonly nodeEvictionRate: number;
  readonly secondaryNodeEvictionRate: number;
  readonly unhealthyZoneThreshold: number;
  readonly largeClusterSizeThreshold: number;
}

export interface NodeLifecycleControllerOptions extends ControllerContext, NodeLifecycleOptions {
  readonly client: Pick<Client, 'nodes' | 'pods'>;
  readonly nodes: Lister<Node>;
  readonly leases: Lister<Lease>;
  readonly pods: Lister<Pod>;
  readonly queue: WorkSink;
  readonly registry?: Registry;
}

interface Observed {
  /** When this process last saw a heartbeat change, on its clock. */
  probeAt: number;
  leaseRenew: string | undefined;
  readyHeartbeat: string | undefined;
}

export class NodeLifecycleController implements Reconciler {
  private readonly observed = new Map<string, Observed>();
  private readonly limiters = new Map<string, { rate: number; bucket: TokenBucket | undefined }>();
  private readonly evictions: Counter<'zone'>;
  private readonly zoneHealthGauge: Gauge<'zone'>;

  constructor(private readonly o: NodeLifecycleControllerOptions) {
    const registers = o.registry ? [o.registry] : [];
    this.evictions = new Counter({
      name: 'node_collector_evictions_total',
      help: 'Number of Node evictions that happened since current instance of NodeController started.',
      labelNames: ['zone'],
      registers,
    });
    this.zoneHealthGauge = new Gauge({
      name: 'node_collector_zone_health',
      help: 'Gauge measuring percentage of healthy nodes per zone.',
      labelNames: ['zone'],
      registers,
    });
    o.queue.enqueue({ name: MONITOR_KEY });
  }

  async reconcile(_request: unknown, signal: AbortSignal): Promise<Result> {
    const now = this.o.clock.now();
    const nodes = this.o.nodes.list();
    for (const name of this.observed.keys()) {
      if (!nodes.some((n) => n.metadata.name === name)) this.observed.delete(name);
    }
    const current: Readonly<Node>[] = [];
    for (const node of nodes) current.push(await this.checkHealth(node, now, signal));
    const health = zoneHealth(current, this.o.unhealthyZoneThreshold);
    for (const [zone, z] of health) {
      this.zoneHealthGauge.set(
        { zone },
        z.size === 0 ? 100 : (100 * (z.size - z.notReady)) / z.size,
      );
    }
    const partitioned = allFullyDisrupted(health);
    if (partitioned) {
      this.o.log(
        'every node is not ready: assuming a partition of the control plane, no evictions',
      );
    }
    for (const node of current) {
      const zone = health.get(zoneOf(node));
      await this.reconcileTaints(node, zone, partitioned, now, signal);
    }
    return { requeueAfter: this.o.nodeMonitorPeriodMs };
  }

  /** The node as it is after this pass: its conditions Unknown if its kubelet fell silent. */
  private async checkHealth(
    node: Readonly<Node>,
    now: number,
    signal: AbortSignal,
  ): Promise<Readonly<Node>> {
    const name = node.metadata.name ?? '';
    const lease = this.o.leases.get(NODE_LEASE_NAMESPACE, name);
    const leaseRenew = lease?.spec?.renewTime;
    const ready = condition(node, 'Ready');
    const readyHeartbeat = ready?.lastHeartbeatTime;
    const seen = this.observed.get(name);
    if (!seen || seen.leaseRenew !== leaseRenew || seen.readyHeartbeat !== readyHeartbeat) {
      this.observed.set(name, { probeAt: now, leaseRenew, readyHeartbeat });
      return node;
    }
    const grace = ready ? this.o.nodeMonitorGracePeriodMs : this.o.nodeStartupGracePeriodMs;
    if (now - seen.probeAt <= grace) return node;
    const conditions = unknownConditions(node, now);
    if (!conditions) return node;
    const wasReady = ready?.status === 'True';
    try {
      const updated = await this.o.client
        .nodes()
        .updateStatus({ ...node, status: { ...node.status, conditions } }, { signal });
      this.o.log(
        `node ${name}: no heartbeat for ${Math.round((now - seen.probeAt) / 1000)} s: conditions Unknown`,
      );
      this.o.recorder.event(
        { ...node, apiVersion: 'v1', kind: 'Node' },
        'Normal',
        'NodeNotReady',
        `Node ${name} status is now: NodeNotReady`,
      );
      if (wasReady) await this.markPodsNotReady(name, now, signal);
      return updated;
    } catch (err) {
      this.o.log(`node ${name}: could not mark it Unknown: ${errorMessage(err)}`);
      return node;
    }
  }

  private async markPodsNotReady(
    nodeName: string,
    now: number,
    signal: AbortSignal,
  ): Promise<void> {
    for (const pod of this.o.pods.list().filter((p) => p.spec.nodeName === nodeName)) {
      if (!isPodReady(pod)) continue;
      try {
        await this.o.client.pods(pod.metadata.namespace).patch(
          pod.metadata.name ?? '',
          {
            status: {
              conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: rfc3339(now) }],
            },
          },
          { type: 'strategic', subresource: 'status', signal },
        );
      } catch (err) {
        this.o.log(
          `pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}: could not mark it not ready: ${errorMessage(err)}`,
        );
      }
    }
  }

  private async reconcileTaints(
    node: Readonly<Node>,
    zone: ZoneHealth | undefined,
    partitioned: boolean,
    now: number,
    signal: AbortSignal,
  ): Promise<void> {
    const taints = node.spec?.taints ?? [];
    const wantedNoExecute = partitioned ? undefined : noExecuteTaint(node);
    const has = (key: string | undefined): boolean =>
      key !== undefined && taints.some((t) => t.key === key && t.effect === 'NoExecute');
    let noExecute = wantedNoExecute;
    // A new NoExecute taint evicts pods: it waits for its zone's rate limiter.
    if (wantedNoExecute && !has(wantedNoExecute) && zone) {
      const zoneName = zoneOf(node);
      const hadOther = taints.some(
        (t) => t.effect === 'NoExecute' && t.key.startsWith('node.kubernetes.io/'),
      );
      if (!hadOther && !this.takeEvictionToken(zoneName, evictionRate(zone, this.o)))
        noExecute = undefined;
      else if (!hadOther) this.evictions.inc({ zone: zoneName });
    }
    const next = withOwnedTaints(taints, noScheduleTaints(node), noExecute, rfc3339(now));
    if (sameTaints(taints, next)) return;
    try {
      await this.o.client
        .nodes()
        .update({ ...node, spec: { ...node.spec, taints: next } }, { signal });
    } catch (err) {
      // A conflict (the kubelet wrote meanwhile) is retried on the next pass.
      this.o.log(`node ${node.metadata.name ?? ''}: could not update taints: ${errorMessage(err)}`);
    }
  }

  private takeEvictionToken(zone: string, rate: number): boolean {
    let limiter = this.limiters.get(zone);
    if (!limiter || limiter.rate !== rate) {
      limiter = { rate, bucket: rate > 0 ? new TokenBucket(rate, 1, this.o.clock) : undefined };
      this.limiters.set(zone, limiter);
    }
    return limiter.bucket?.tryAccept() ?? false;
  }
}

/** The node's conditions with every kubelet condition Unknown; undefined if they already are. */
export function unknownConditions(node: Readonly<Node>, now: number): NodeCondition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? rfc3339(now),
        lastTransitionTime: rfc3339(now),
      });
      changed = true;
    } else if (existing.status !== 'Unknown') {
      Object.assign(existing, {
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: rfc3339(now),
      });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

function sameTaints(
  a: readonly { key: string; effect: string }[],
  b: readonly { key: string; effect: string }[],
): boolean {
  const keys = (ts: readonly { key: string; effect: string }[]) =>
    ts
      .map((t) => `${t.key}:${t.effect}`)
      .sort()
      .join(',');
  return keys(a) === keys(b);
}
