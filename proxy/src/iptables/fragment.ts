// The iptables rules of one Service port: a pure function of its plan and the node's context,
// in Kubernetes' iptables layout — KUBE-SVC-* picks an endpoint with `statistic --mode random`
// (probability 1/n, then 1/(n-1), … so each is equally likely), KUBE-SEP-* per endpoint
// (hairpin masquerade, DNAT), KUBE-EXT-* for node ports and external IPs, KUBE-SVL-* for the
// Local policies, and lines in the shared dispatch chains (KUBE-SERVICES, KUBE-NODEPORTS).
import type { RuleContext } from '../model/context.js';
import { endpointKey, type EndpointInfo } from '../model/endpoint.js';
import { externalChainSteps } from '../model/external-chain.js';
import { iptablesNames } from '../model/names.js';
import { externalAddresses, type NoEndpointsVerdict, type ServicePortPlan } from '../model/plan.js';

export interface IptablesChain {
  readonly name: string;
  /** Each rule as it follows `-A <chain>`. */
  readonly rules: readonly string[];
}

export interface IptablesFragment {
  /** This Service port's own nat chains. */
  readonly natChains: readonly IptablesChain[];
  /** Its lines in the shared nat KUBE-SERVICES and KUBE-NODEPORTS chains. */
  readonly natServices: readonly string[];
  readonly natNodePorts: readonly string[];
  /** Its lines in the filter table: reject or drop when there are no endpoints. */
  readonly filterServices: readonly string[];
  readonly filterExternalServices: readonly string[];
}

const target = (verdict: NoEndpointsVerdict): string => (verdict === 'reject' ? 'REJECT' : 'DROP');
const comment = (text: string): string => `-m comment --comment ${JSON.stringify(text)}`;

export function iptablesServiceFragment(plan: ServicePortPlan, ctx: RuleContext): IptablesFragment {
  const { svc } = plan;
  const proto = svc.protocol.toLowerCase();
  const match = `-p ${proto} -m ${proto}`;
  const names = {
    cluster: iptablesNames.cluster(svc.key),
    local: iptablesNames.local(svc.key),
    external: iptablesNames.external(svc.key),
  };
  const name = svc.displayName;
  const sticky = svc.stickyMaxAgeSeconds > 0;
  const natChains: IptablesChain[] = [];

  const endpoints = new Map<string, EndpointInfo>();
  for (const e of [...plan.clusterEndpoints, ...plan.localEndpoints])
    endpoints.set(endpointKey(e), e);
  for (const e of endpoints.values()) {
    const chain = iptablesNames.endpoint(svc.key, e);
    natChains.push({
      name: chain,
      rules: [
        `${comment(name)} -s ${e.ip}/32 -j KUBE-MARK-MASQ`,
        `${comment(name)} ${match}${sticky ? ` -m recent --set --name ${chain} --mask 255.255.255.255 --rsource` : ''} -j DNAT --to-destination ${e.ip}:${e.port}`,
      ],
    });
  }
  const balance = (eps: readonly EndpointInfo[]): string[] => {
    const rules = sticky
      ? eps.map((e) => {
          const sep = iptablesNames.endpoint(svc.key, e);
          return `${comment(`${name} -> ${endpointKey(e)}`)} -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds ${svc.stickyMaxAgeSeconds} --reap -j ${sep}`;
        })
      : [];
    eps.forEach((e, i) => {
      const sep = iptablesNames.endpoint(svc.key, e);
      const left = eps.length - i;
      const statistic =
        left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
      rules.push(`${comment(`${name} -> ${endpointKey(e)}`)}${statistic} -j ${sep}`);
    });
    return rules;
  };
  if (plan.clusterEndpoints.length > 0) {
    const masquerade = ctx.clusterCIDR
      ? [
          `${comment(`${name} cluster IP`)} -d ${svc.clusterIP}/32 ! -s ${ctx.clusterCIDR} ${match} --dport ${svc.port} -j KUBE-MARK-MASQ`,
        ]
      : [];
    natChains.push({
      name: names.cluster,
      rules: [...masquerade, ...balance(plan.clusterEndpoints)],
    });
  }
  if (plan.localEndpoints.length > 0) {
    natChains.push({ name: names.local, rules: balance(plan.localEndpoints) });
  }

  const natServices: string[] = [];
  const natNodePorts: string[] = [];
  const filterServices: string[] = [];
  const filterExternalServices: string[] = [];
  const toClusterIP = `-d ${svc.clusterIP}/32 ${match} --dport ${svc.port}`;
  if (plan.internal === 'cluster' || plan.internal === 'local') {
    natServices.push(`${comment(`${name} cluster IP`)} ${toClusterIP} -j ${names[plan.internal]}`);
  } else {
    filterServices.push(
      `${comment(`${name} has no endpoints`)} ${toClusterIP} -j ${target(plan.internal)}`,
    );
  }
  if (plan.hasExternalDestinations) {
    const externalRules = externalChainRules(plan, ctx, names);
    if (externalRules.length > 0) natChains.push({ name: names.external, rules: externalRules });
    const missing = plan.externalNoEndpoints;
    for (const address of externalAddresses(svc)) {
      const to = `-d ${address}/32 ${match} --dport ${svc.port}`;
      if (externalRules.length > 0)
        natServices.push(`${comment(`${name} external IP`)} ${to} -j ${names.external}`);
      if (missing)
        filterExternalServices.push(
          `${comment(`${name} has no endpoints`)} ${to} -j ${target(missing)}`,
        );
    }
    if (svc.nodePort > 0) {
      const to = `${match} --dport ${svc.nodePort}`;
      if (externalRules.length > 0)
        natNodePorts.push(`${comment(name)} ${to} -j ${names.external}`);
      if (missing) {
        filterExternalServices.push(
          `${comment(`${name} has no endpoints`)} -m addrtype --dst-type LOCAL ${to} -j ${target(missing)}`,
        );
      }
    }
  }
  return { natChains, natServices, natNodePorts, filterServices, filterExternalServices };
}

/** The external chain's steps in iptables syntax. */
function externalChainRules(
  plan: ServicePortPlan,
  ctx: RuleContext,
  names: { cluster: string; local: string },
): string[] {
  return externalChainSteps(plan, ctx).map((step) => {
    switch (step.kind) {
      case 'masquerade':
        return '-j KUBE-MARK-MASQ';
      case 'to-cluster':
        return `-j ${names.cluster}`;
      case 'pods-to-cluster':
        return `${comment('pod traffic for external destinations')} -s ${step.cidr} -j ${names.cluster}`;
      case 'masquerade-local-source':
        return `${comment('masquerade LOCAL traffic')} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`;
      case 'local-source-to-cluster':
        return `${comment('route LOCAL traffic to all endpoints')} -m addrtype --src-type LOCAL -j ${names.cluster}`;
      case 'to-local':
        return `-j ${names.local}`;
    }
  });
}
