// planRoutes(): the whole pod network of one node as data — pure, so every rule of it is a table
// test. The applier turns a plan into kernel state; nothing here touches the kernel.
//
// host-gw (flannel's host-gw backend): each other node's podCIDR is routed via its InternalIP
// out of the uplink. That only works when the InternalIP is on the uplink's own subnet (one L2
// segment): a gateway further away would need a router that knows pod routes, so such a node is
// reported as a problem instead of getting a route that would black-hole its pods.
//
// vxlan (flannel's vxlan backend layout): each node's `skiff.vxlan` device holds the network
// address of its podCIDR (10.244.2.0/32). A remote podCIDR is routed `via 10.244.2.0 dev
// skiff.vxlan onlink`; a permanent neighbour entry maps 10.244.2.0 to that node's VTEP MAC, and
// a forwarding entry sends frames for the MAC to the node's public IP — no learning, no
// multicast, everything comes from the Node objects.
import {
  formatIpv4Cidr,
  ipv4CidrContains,
  ipv4CidrsOverlap,
  parseIpv4,
  parseIpv4Cidr,
} from '@skiff/api';
import type { NodeNetInfo } from './node-info.js';

export type RoutingMode = 'host-gw' | 'vxlan';

export const VXLAN_DEVICE = 'skiff.vxlan';

export interface SelfNetInfo {
  readonly name: string;
  readonly podCIDR: string;
  /** The interface carrying the node's InternalIP, and its address with prefix (`eth0`, `192.168.1.5/24`). */
  readonly uplink: { readonly name: string; readonly cidr: string };
}

export interface PlannedRoute {
  /** A podCIDR of another node. */
  readonly dst: string;
  readonly via: string;
  readonly dev: string;
  /** vxlan: the gateway is not on any subnet of the device; the neighbour entry resolves it. */
  readonly onlink: boolean;
  readonly node: string;
}

export interface PlannedFdbEntry {
  readonly mac: string;
  readonly dst: string;
  readonly node: string;
}

export interface PlannedNeighbour {
  readonly ip: string;
  readonly mac: string;
  readonly node: string;
}

/** A node this one cannot route to, and why — logged and shown in the status. */
export interface NodeProblem {
  readonly node: string;
  readonly reason: string;
}

export interface RoutePlan {
  readonly mode: RoutingMode;
  readonly routes: readonly PlannedRoute[];
  readonly fdb: readonly PlannedFdbEntry[];
  readonly neighbours: readonly PlannedNeighbour[];
  readonly problems: readonly NodeProblem[];
}

/** The VTEP address of a podCIDR in the vxlan layout: its network address (flannel's choice). */
export function vtepAddress(podCIDR: string): string | undefined {
  const cidr = parseIpv4Cidr(podCIDR);
  return cidr === undefined ? undefined : formatIpv4Cidr(cidr).split('/')[0];
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function planRoutes(
  self: SelfNetInfo,
  nodes: readonly NodeNetInfo[],
  mode: RoutingMode,
): RoutePlan {
  const routes: PlannedRoute[] = [];
  const fdb: PlannedFdbEntry[] = [];
  const neighbours: PlannedNeighbour[] = [];
  const problems: NodeProblem[] = [];
  const ownPodCIDR = parseIpv4Cidr(self.podCIDR);
  const segment = parseIpv4Cidr(self.uplink.cidr);
  const claimed: { node: string; cidr: NonNullable<typeof ownPodCIDR> }[] =
    ownPodCIDR === undefined ? [] : [{ node: self.name, cidr: ownPodCIDR }];

  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    if (node.name === self.name) continue;
    const problem = (reason: string): void => {
      problems.push({ node: node.name, reason });
    };
    if (node.podCIDR === undefined) {
      problem('has no spec.podCIDR yet');
      continue;
    }
    const podCIDR = parseIpv4Cidr(node.podCIDR);
    if (podCIDR === undefined) {
      problem(`spec.podCIDR ${JSON.stringify(node.podCIDR)} is not an IPv4 CIDR`);
      continue;
    }
    const clash = claimed.find((c) => ipv4CidrsOverlap(c.cidr, podCIDR));
    if (clash !== undefined) {
      problem(`spec.podCIDR ${node.podCIDR} overlaps node ${clash.node}'s`);
      continue;
    }
    const dst = formatIpv4Cidr(podCIDR);
    if (mode === 'host-gw') {
      const ip = node.internalIP === undefined ? undefined : parseIpv4(node.internalIP);
      if (node.internalIP === undefined || ip === undefined) {
        problem('has no InternalIP address yet');
        continue;
      }
      if (segment === undefined || !ipv4CidrContains(segment, ip)) {
        problem(
          `InternalIP ${node.internalIP} is not directly reachable: it is outside this node's ` +
            `L2 segment (${self.uplink.name} ${self.uplink.cidr}), so host-gw cannot route its ` +
            `pods (${dst}); --routing=vxlan can`,
        );
        continue;
      }
      claimed.push({ node: node.name, cidr: podCIDR });
      routes.push({
        dst,
        via: node.internalIP,
        dev: self.uplink.name,
        onlink: false,
        node: node.name,
      });
      continue;
    }
    const mac = node.vxlanMAC?.toLowerCase();
    if (mac === undefined || !MAC.test(mac)) {
      problem(
        mac === undefined
          ? 'has not published its VXLAN MAC (skiff.dev/vxlan-mac) yet'
          : `annotation skiff.dev/vxlan-mac ${JSON.stringify(mac)} is not a MAC address`,
      );
      continue;
    }
    if (node.publicIP === undefined) {
      problem('has no InternalIP or skiff.dev/public-ip address yet');
      continue;
    }
    const vtep = dst.split('/')[0] ?? dst;
    claimed.push({ node: node.name, cidr: podCIDR });
    routes.push({ dst, via: vtep, dev: VXLAN_DEVICE, onlink: true, node: node.name });
    neighbours.push({ ip: vtep, mac, node: node.name });
    fdb.push({ mac, dst: node.publicIP, node: node.name });
  }
  return { mode, routes, fdb, neighbours, problems };
}
