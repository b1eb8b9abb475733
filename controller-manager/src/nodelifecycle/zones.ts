// Zone states and eviction rate limits (Kubernetes' node lifecycle): a zone is Normal,
// PartialDisruption (more than 2 nodes and at least --unhealthy-zone-threshold of them not
// ready) or FullDisruption (none ready). NoExecute taints — which evict pods — go out at
// --node-eviction-rate per zone; in a partially disrupted zone at the secondary rate, or not at
// all in a small cluster; and when every zone is fully disrupted the controller assumes it is
// the one cut off (a partition of the control plane) and evicts nothing.
import type { Node } from '@skiff/api';
import { condition } from './taints.js';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function zoneOf(node: Readonly<Node>): string {
  return node.metadata.labels?.[ZONE_LABEL] ?? '';
}

export interface ZoneHealth {
  readonly state: ZoneState;
  readonly size: number;
  readonly notReady: number;
}

export function zoneHealth(
  nodes: readonly Readonly<Node>[],
  unhealthyZoneThreshold: number,
): Map<string, ZoneHealth> {
  const counts = new Map<string, { size: number; notReady: number }>();
  for (const node of nodes) {
    const zone = zoneOf(node);
    const c = counts.get(zone) ?? { size: 0, notReady: 0 };
    c.size++;
    if (condition(node, 'Ready')?.status !== 'True') c.notReady++;
    counts.set(zone, c);
  }
  const health = new Map<string, ZoneHealth>();
  for (const [zone, { size, notReady }] of counts) {
    const state: ZoneState =
      notReady > 0 && notReady === size
        ? 'FullDisruption'
        : notReady > 2 && notReady / size >= unhealthyZoneThreshold
          ? 'PartialDisruption'
          : 'Normal';
    health.set(zone, { state, size, notReady });
  }
  return health;
}

/** Taints per second allowed in a zone of this health; 0 stops eviction there. */
export function evictionRate(
  zone: ZoneHealth,
  rates: {
    readonly nodeEvictionRate: number;
    readonly secondaryNodeEvictionRate: number;
    readonly largeClusterSizeThreshold: number;
  },
): number {
  if (zone.state === 'PartialDisruption') {
    return zone.size > rates.largeClusterSizeThreshold ? rates.secondaryNodeEvictionRate : 0;
  }
  return rates.nodeEvictionRate;
}

export function allFullyDisrupted(health: ReadonlyMap<string, ZoneHealth>): boolean {
  return health.size > 0 && [...health.values()].every((z) => z.state === 'FullDisruption');
}
