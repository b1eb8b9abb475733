// The proxy's decisions for one Service port, independent of the packet filter that carries
// them out: which endpoints each traffic policy uses and what happens to traffic that has none.
// Both rule generators (nftables, iptables) render a plan; neither decides anything itself.
import type { EndpointInfo } from './endpoint.js';
import { categorizeEndpoints } from './topology.js';
import type { ServicePortInfo } from './service-port.js';

/** What traffic with nowhere to go gets: refused (ICMP port unreachable) or silently dropped. */
export type NoEndpointsVerdict = 'reject' | 'drop';

export interface ServicePortPlan {
  readonly svc: ServicePortInfo;
  /** Endpoints of the cluster-policy chain; empty: no such chain. */
  readonly clusterEndpoints: readonly EndpointInfo[];
  /** Endpoints of the local-policy chain; empty: no such chain. */
  readonly localEndpoints: readonly EndpointInfo[];
  /** Where ClusterIP traffic goes, or, when it has no endpoints, its verdict. */
  readonly internal: 'cluster' | 'local' | NoEndpointsVerdict;
  /** Node port, external IPs or load-balancer IPs exist (an external chain serves them). */
  readonly hasExternalDestinations: boolean;
  /** Verdict for external traffic when the external policy has no endpoints. */
  readonly externalNoEndpoints: NoEndpointsVerdict | undefined;
}

export function planServicePort(
  svc: ServicePortInfo,
  endpoints: readonly EndpointInfo[],
): ServicePortPlan {
  const { clusterEndpoints, localEndpoints, hasAnyEndpoints } = categorizeEndpoints(svc, endpoints);
  // No endpoint anywhere: refuse, so clients fail fast. Endpoints elsewhere but a Local policy
  // with none here: drop, as Kubernetes does (the client may retry on another node).
  const none: NoEndpointsVerdict = hasAnyEndpoints ? 'drop' : 'reject';
  const internalEndpoints = svc.internalPolicyLocal ? localEndpoints : clusterEndpoints;
  const externalEndpoints = svc.externalPolicyLocal ? localEndpoints : clusterEndpoints;
  const hasExternalDestinations =
    svc.nodePort > 0 || svc.externalIPs.length > 0 || svc.loadBalancerIPs.length > 0;
  return {
    svc,
    clusterEndpoints,
    localEndpoints,
    internal: internalEndpoints.length === 0 ? none : svc.internalPolicyLocal ? 'local' : 'cluster',
    hasExternalDestinations,
    externalNoEndpoints:
      hasExternalDestinations && externalEndpoints.length === 0 ? none : undefined,
  };
}

/** The external destinations of a Service port: external IPs and load-balancer IPs. */
export const externalAddresses = (svc: ServicePortInfo): readonly string[] => [
  ...svc.externalIPs,
  ...svc.loadBalancerIPs,
];
