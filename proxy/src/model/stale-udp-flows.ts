// Which UDP connection-tracking entries of Services are stale, as kube-proxy's
// conntrack.CleanStaleEntries decides: an entry whose original destination is a Service's IP
// (cluster IP, external IP, load-balancer IP) or its NodePort, but whose reply comes from an
// address that is no serving endpoint of it (an endpoint that went, or the Service IP itself
// when it had none and the datagram was answered with a reject). UDP has no connection to end,
// so without deleting such an entry a client that keeps sending keeps its old NAT forever.
// Traffic policies and terminating state are deliberately ignored: an endpoint that still
// serves keeps its flows, as TCP connections are kept.
import type { ConntrackFilter, ConntrackFlow } from '@skiff/api';
import { externalAddresses } from './plan.js';
import type { ServicePortInfo } from './service-port.js';

export interface UdpServicePort {
  readonly svc: ServicePortInfo;
  /** The addresses of its serving endpoints. */
  readonly servingIPs: ReadonlySet<string>;
}

/**
 * The filters that delete the stale entries among `flows`. `vanished` are UDP Service ports
 * gone since the last look: every entry to them is stale, unless a current Service now owns
 * the address or port.
 */
export function staleUdpFlowFilters(
  flows: readonly ConntrackFlow[],
  current: readonly UdpServicePort[],
  vanished: readonly ServicePortInfo[] = [],
): ConntrackFilter[] {
  const byIP = new Map<string, Set<string>>();
  const byNodePort = new Map<number, Set<string>>();
  // Several ports of one Service (or Services sharing an external IP) pool their endpoints.
  const pool = <K>(map: Map<K, Set<string>>, key: K, ips: ReadonlySet<string>): void => {
    const set = map.get(key) ?? new Set<string>();
    for (const ip of ips) set.add(ip);
    map.set(key, set);
  };
  for (const { svc, servingIPs } of current) {
    for (const ip of [svc.clusterIP, ...externalAddresses(svc)]) pool(byIP, ip, servingIPs);
    if (svc.nodePort > 0) pool(byNodePort, svc.nodePort, servingIPs);
  }
  for (const svc of vanished) {
    for (const ip of [svc.clusterIP, ...externalAddresses(svc)]) pool(byIP, ip, new Set());
    if (svc.nodePort > 0) pool(byNodePort, svc.nodePort, new Set());
  }
  const filters = new Map<string, ConntrackFilter>();
  for (const flow of flows) {
    if (flow.protocol !== 'udp') continue;
    const replySrc = flow.reply.src;
    const toIP = byIP.get(flow.original.dst);
    if (toIP !== undefined && !toIP.has(replySrc)) {
      const filter = { protocol: 'udp', origDst: flow.original.dst, replySrc } as const;
      filters.set(JSON.stringify(filter), filter);
    }
    const dport = flow.original.dport;
    const toNodePort = dport === undefined ? undefined : byNodePort.get(dport);
    if (dport !== undefined && toNodePort !== undefined && !toNodePort.has(replySrc)) {
      const filter = { protocol: 'udp', origDstPort: dport, replySrc } as const;
      filters.set(JSON.stringify(filter), filter);
    }
  }
  return [...filters.values()];
}
