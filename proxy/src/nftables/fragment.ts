// The nftables rules of one Service port: a pure function of its plan and the node's context,
// in Kubernetes' nftables layout — a `service-…` chain that picks an endpoint with
// `numgen random`, one `endpoint-…` chain per endpoint (hairpin masquerade, DNAT), an
// `external-…` chain for node ports and external IPs, and elements in the shared dispatch maps.
import type { RuleContext } from '../model/context.js';
import type { EndpointInfo } from '../model/endpoint.js';
import { endpointKey } from '../model/endpoint.js';
import { externalChainSteps } from '../model/external-chain.js';
import { nftNames } from '../model/names.js';
import { externalAddresses, type NoEndpointsVerdict, type ServicePortPlan } from '../model/plan.js';

export interface NftChain {
  readonly name: string;
  readonly rules: readonly string[];
}

/** An element of a set (no value) or a verdict map (`value`, e.g. `goto service-…`). */
export interface NftElement {
  readonly set: string;
  readonly key: string;
  readonly value?: string;
}

export interface NftSet {
  readonly name: string;
  /** What follows the name in `add set`, braces included. */
  readonly spec: string;
}

export interface NftFragment {
  readonly sets: readonly NftSet[];
  readonly chains: readonly NftChain[];
  readonly elements: readonly NftElement[];
}

const noEndpointsValue = (verdict: NoEndpointsVerdict): string =>
  verdict === 'reject' ? 'goto reject-chain' : 'drop';

export function nftServiceFragment(plan: ServicePortPlan, ctx: RuleContext): NftFragment {
  const { svc } = plan;
  const proto = svc.protocol.toLowerCase();
  const names = {
    cluster: nftNames.cluster(svc.key),
    local: nftNames.local(svc.key),
    external: nftNames.external(svc.key),
  };
  const sets: NftSet[] = [];
  const chains: NftChain[] = [];
  const elements: NftElement[] = [{ set: 'cluster-ips', key: svc.clusterIP }];
  const sticky = svc.stickyMaxAgeSeconds > 0;

  // Endpoint chains, shared by the cluster and local chains (an endpoint may be in both).
  const endpoints = new Map<string, EndpointInfo>();
  for (const e of [...plan.clusterEndpoints, ...plan.localEndpoints])
    endpoints.set(endpointKey(e), e);
  for (const e of endpoints.values()) {
    const chain = nftNames.endpoint(svc.key, e);
    const affinity = nftNames.affinity(svc.key, e);
    if (sticky) {
      sets.push({
        name: affinity,
        spec: `{ type ipv4_addr ; flags dynamic,timeout ; timeout ${svc.stickyMaxAgeSeconds}s ; }`,
      });
    }
    chains.push({
      name: chain,
      rules: [
        // Hairpin: a pod reaching itself through its Service must see the reply come back
        // through the node, so its own address is masqueraded.
        `ip saddr ${e.ip} jump mark-for-masquerade`,
        ...(sticky ? [`update @${affinity} { ip saddr }`] : []),
        `meta l4proto ${proto} dnat to ${e.ip}:${e.port}`,
      ],
    });
  }

  const balance = (eps: readonly EndpointInfo[]): string[] => {
    const affinityRules = sticky
      ? eps.map(
          (e) => `ip saddr @${nftNames.affinity(svc.key, e)} goto ${nftNames.endpoint(svc.key, e)}`,
        )
      : [];
    const choices = eps.map((e, i) => `${i} : goto ${nftNames.endpoint(svc.key, e)}`).join(' , ');
    return [...affinityRules, `numgen random mod ${eps.length} vmap { ${choices} }`];
  };
  if (plan.clusterEndpoints.length > 0) {
    const masquerade = ctx.clusterCIDR
      ? [
          `ip daddr ${svc.clusterIP} ${proto} dport ${svc.port} ip saddr != ${ctx.clusterCIDR} jump mark-for-masquerade`,
        ]
      : [];
    chains.push({ name: names.cluster, rules: [...masquerade, ...balance(plan.clusterEndpoints)] });
  }
  if (plan.localEndpoints.length > 0) {
    chains.push({ name: names.local, rules: balance(plan.localEndpoints) });
  }

  const clusterIPKey = `${svc.clusterIP} . ${proto} . ${svc.port}`;
  if (plan.internal === 'cluster' || plan.internal === 'local') {
    elements.push({ set: 'service-ips', key: clusterIPKey, value: `goto ${names[plan.internal]}` });
  } else {
    elements.push({
      set: 'no-endpoint-services',
      key: clusterIPKey,
      value: noEndpointsValue(plan.internal),
    });
  }

  if (plan.hasExternalDestinations) {
    const externalRules = externalChainRules(plan, ctx, names);
    if (externalRules.length > 0) chains.push({ name: names.external, rules: externalRules });
    const toExternal = externalRules.length > 0 ? `goto ${names.external}` : undefined;
    const missing = plan.externalNoEndpoints;
    for (const address of externalAddresses(svc)) {
      const key = `${address} . ${proto} . ${svc.port}`;
      if (toExternal) elements.push({ set: 'service-ips', key, value: toExternal });
      if (missing)
        elements.push({ set: 'no-endpoint-services', key, value: noEndpointsValue(missing) });
    }
    if (svc.nodePort > 0) {
      const key = `${proto} . ${svc.nodePort}`;
      if (toExternal) elements.push({ set: 'service-nodeports', key, value: toExternal });
      if (missing)
        elements.push({ set: 'no-endpoint-nodeports', key, value: noEndpointsValue(missing) });
    }
  }
  return { sets, chains, elements };
}

/** The external chain's steps in nftables syntax. */
function externalChainRules(
  plan: ServicePortPlan,
  ctx: RuleContext,
  names: { cluster: string; local: string },
): string[] {
  return externalChainSteps(plan, ctx).map((step) => {
    switch (step.kind) {
      case 'masquerade':
        return 'jump mark-for-masquerade';
      case 'to-cluster':
        return `goto ${names.cluster}`;
      case 'pods-to-cluster':
        return `ip saddr ${step.cidr} goto ${names.cluster}`;
      case 'masquerade-local-source':
        return 'fib saddr type local jump mark-for-masquerade';
      case 'local-source-to-cluster':
        return `fib saddr type local goto ${names.cluster}`;
      case 'to-local':
        return `goto ${names.local}`;
    }
  });
}
