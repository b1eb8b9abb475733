// What the external chain of a Service port does, step by step, for traffic from outside to a
// node port or an external IP. Cluster policy: masquerade (the reply must come back through
// this node) and use every endpoint. Local policy: keep the client's address and use this
// node's endpoints — except for pods (from --cluster-cidr) and the node itself, which are
// short-circuited to every endpoint as Kubernetes does. No steps: no chain, and the
// no-endpoint checks drop or reject the traffic. Each generator writes these in its syntax.
import type { RuleContext } from './context.js';
import type { ServicePortPlan } from './plan.js';

export type ExternalStep =
  /** Masquerade, then use every endpoint. */
  | { readonly kind: 'masquerade' }
  | { readonly kind: 'to-cluster' }
  /** Pods' traffic (source in `cidr`) to every endpoint. */
  | { readonly kind: 'pods-to-cluster'; readonly cidr: string }
  /** This node's own traffic: masquerade it and use every endpoint. */
  | { readonly kind: 'masquerade-local-source' }
  | { readonly kind: 'local-source-to-cluster' }
  /** Everything else to this node's endpoints. */
  | { readonly kind: 'to-local' };

export function externalChainSteps(plan: ServicePortPlan, ctx: RuleContext): ExternalStep[] {
  const hasCluster = plan.clusterEndpoints.length > 0;
  if (!plan.svc.externalPolicyLocal) {
    return hasCluster ? [{ kind: 'masquerade' }, { kind: 'to-cluster' }] : [];
  }
  const steps: ExternalStep[] = [];
  if (hasCluster) {
    if (ctx.clusterCIDR) steps.push({ kind: 'pods-to-cluster', cidr: ctx.clusterCIDR });
    steps.push({ kind: 'masquerade-local-source' }, { kind: 'local-source-to-cluster' });
  }
  if (plan.localEndpoints.length > 0) steps.push({ kind: 'to-local' });
  return steps;
}
