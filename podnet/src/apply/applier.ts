// The applier: makes the kernel hold exactly what a RoutePlan says — and only touches what is
// the pod network's own. Routes carry a protocol number of their own (`proto 83` by default,
// as BIRD or zebra carry theirs), so a sync (and the first sync of a restarted process) lists
// them and deletes those of nodes that are gone, without ever looking at anyone else's routes.
// The FDB and neighbour entries live on the `skiff.vxlan` device, which is wholly ours.
// Each sync reads the current state and changes only what differs.
import type { CommandRunner } from '@skiff/proxy';
import {
  VXLAN_DEVICE,
  vtepAddress,
  type PlannedFdbEntry,
  type PlannedNeighbour,
  type PlannedRoute,
  type RoutePlan,
} from '../plan/plan-routes.js';
import type { Uplink } from './uplink.js';
import { deleteVxlanDevice, ensureVxlanDevice } from './vxlan-device.js';

/** Not in iproute2's rt_protos; `--route-protocol` changes it if another daemon uses it. */
export const DEFAULT_ROUTE_PROTOCOL = 83;

export interface ApplyResult {
  /** Commands that changed something (route replaced or deleted, entry added or removed…). */
  readonly changes: number;
}

interface RouteJson {
  dst?: string;
  gateway?: string;
  dev?: string;
  flags?: string[];
}

interface FdbJson {
  mac?: string;
  dst?: string;
}

interface NeighJson {
  dst?: string;
  lladdr?: string;
  state?: string[];
}

export class PodNetworkApplier {
  constructor(
    private readonly run: CommandRunner,
    private readonly routeProtocol: number = DEFAULT_ROUTE_PROTOCOL,
  ) {}

  async apply(
    plan: RoutePlan,
    self: { readonly podCIDR: string; readonly uplink: Uplink; readonly vxlanMAC: string },
  ): Promise<ApplyResult> {
    let changes = 0;
    if (plan.mode === 'vxlan') {
      const vtepIP = vtepAddress(self.podCIDR);
      if (vtepIP === undefined) throw new Error(`spec.podCIDR ${self.podCIDR} is not an IPv4 CIDR`);
      const changed = await ensureVxlanDevice(this.run, {
        uplink: self.uplink.name,
        uplinkMTU: self.uplink.mtu,
        localIP: self.uplink.address,
        mac: self.vxlanMAC,
        vtepIP,
      });
      if (changed) changes++;
      changes += await this.syncFdb(plan.fdb);
      changes += await this.syncNeighbours(plan.neighbours);
    } else if (await deleteVxlanDevice(this.run)) {
      changes++;
    }
    changes += await this.syncRoutes(plan.routes);
    return { changes };
  }

  /** Deletes every route of ours and the VXLAN device (`skiff podnet --cleanup`). */
  async cleanup(): Promise<number> {
    let changes = (await deleteVxlanDevice(this.run)) ? 1 : 0;
    changes += await this.syncRoutes([]);
    return changes;
  }

  /** The routes the kernel holds with our protocol number. */
  async currentRoutes(): Promise<RouteJson[]> {
    return JSON.parse(
      await this.run([
        'ip',
        '-j',
        '-4',
        'route',
        'show',
        'table',
        'main',
        'proto',
        String(this.routeProtocol),
      ]),
    ) as RouteJson[];
  }

  private async syncRoutes(desired: readonly PlannedRoute[]): Promise<number> {
    let changes = 0;
    const current = await this.currentRoutes();
    const wanted = new Map(desired.map((r) => [r.dst, r]));
    for (const route of current) {
      if (route.dst === undefined || wanted.has(route.dst)) continue;
      await this.run([
        'ip',
        'route',
        'del',
        route.dst,
        'table',
        'main',
        'proto',
        String(this.routeProtocol),
      ]);
      changes++;
    }
    for (const route of desired) {
      const have = current.find((r) => r.dst === route.dst);
      const same =
        have !== undefined &&
        have.gateway === route.via &&
        have.dev === route.dev &&
        (have.flags ?? []).includes('onlink') === route.onlink;
      if (same) continue;
      await this.run([
        'ip',
        'route',
        'replace',
        route.dst,
        'via',
        route.via,
        'dev',
        route.dev,
        ...(route.onlink ? ['onlink'] : []),
        'proto',
        String(this.routeProtocol),
      ]);
      changes++;
    }
    return changes;
  }

  private async syncFdb(desired: readonly PlannedFdbEntry[]): Promise<number> {
    let changes = 0;
    const current = (
      JSON.parse(await this.run(['bridge', '-j', 'fdb', 'show', 'dev', VXLAN_DEVICE])) as FdbJson[]
    ).filter((e) => e.dst !== undefined && e.mac !== undefined);
    const key = (mac: string, dst: string): string => `${mac} ${dst}`;
    const wanted = new Set(desired.map((e) => key(e.mac, e.dst)));
    for (const entry of current) {
      const { mac, dst } = entry;
      if (mac === undefined || dst === undefined || wanted.has(key(mac, dst))) continue;
      await this.run(['bridge', 'fdb', 'del', mac, 'dev', VXLAN_DEVICE, 'dst', dst]);
      changes++;
    }
    const have = new Set(current.map((e) => key(e.mac ?? '', e.dst ?? '')));
    for (const entry of desired) {
      if (have.has(key(entry.mac, entry.dst))) continue;
      await this.run(['bridge', 'fdb', 'append', entry.mac, 'dev', VXLAN_DEVICE, 'dst', entry.dst]);
      changes++;
    }
    return changes;
  }

  private async syncNeighbours(desired: readonly PlannedNeighbour[]): Promise<number> {
    let changes = 0;
    const current = (
      JSON.parse(
        await this.run(['ip', '-j', '-4', 'neigh', 'show', 'dev', VXLAN_DEVICE]),
      ) as NeighJson[]
    ).filter((n) => (n.state ?? []).includes('PERMANENT'));
    const wanted = new Map(desired.map((n) => [n.ip, n.mac]));
    for (const entry of current) {
      if (entry.dst === undefined || wanted.has(entry.dst)) continue;
      await this.run(['ip', 'neigh', 'del', entry.dst, 'dev', VXLAN_DEVICE]);
      changes++;
    }
    for (const entry of desired) {
      if (current.some((n) => n.dst === entry.ip && n.lladdr === entry.mac)) continue;
      await this.run([
        'ip',
        'neigh',
        'replace',
        entry.ip,
        'lladdr',
        entry.mac,
        'dev',
        VXLAN_DEVICE,
        'nud',
        'permanent',
      ]);
      changes++;
    }
    return changes;
  }
}
