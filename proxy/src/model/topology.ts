// Which endpoints a Service port's traffic may go to (kube-proxy's CategorizeEndpoints):
// ready endpoints; when none is ready, the serving-but-terminating ones, so a rolling update
// that takes every pod down at once still drains instead of refusing — "terminating endpoints
// only as fallback". `Local` traffic policies narrow that to the endpoints on this node.
import type { EndpointInfo } from './endpoint.js';
import type { ServicePortInfo } from './service-port.js';

export interface CategorizedEndpoints {
  /** What cluster-policy traffic uses (empty when no policy is Cluster). */
  readonly clusterEndpoints: readonly EndpointInfo[];
  /** What local-policy traffic uses (empty when no policy is Local). */
  readonly localEndpoints: readonly EndpointInfo[];
  /** Some endpoint anywhere could take traffic: if not, refuse (reject), else a policy drops. */
  readonly hasAnyEndpoints: boolean;
}

const usable = (endpoints: readonly EndpointInfo[]): EndpointInfo[] => {
  const ready = endpoints.filter((e) => e.ready);
  return ready.length > 0 ? ready : endpoints.filter((e) => e.serving && e.terminating);
};

export function categorizeEndpoints(
  svc: ServicePortInfo,
  endpoints: readonly EndpointInfo[],
): CategorizedEndpoints {
  const anyUsable = usable(endpoints);
  const needCluster = !svc.internalPolicyLocal || !svc.externalPolicyLocal;
  const needLocal = svc.internalPolicyLocal || svc.externalPolicyLocal;
  return {
    clusterEndpoints: needCluster ? anyUsable : [],
    localEndpoints: needLocal ? usable(endpoints.filter((e) => e.isLocal)) : [],
    hasAnyEndpoints: anyUsable.length > 0,
  };
}
