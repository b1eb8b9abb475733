// Service defaults. The cluster IP itself is allocated by the apiserver's service strategy, not here.
import type { Service } from '../types/index.js';

/** Three hours: how long ClientIP affinity sticks a client to one endpoint by default. */
const clientIPAffinitySeconds = 10800;

export function defaultService(service: Service): void {
  const spec = service.spec;
  if (!spec) return;
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (
    spec.sessionAffinity === 'ClientIP' &&
    !spec.sessionAffinityConfig?.clientIP?.timeoutSeconds
  ) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: clientIPAffinitySeconds } };
  }
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    // No targetPort means "the same port on the pod".
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }
  if (externallyAccessible(service)) spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    // skiff clusters are single-stack; Kubernetes' registry picks the same for them.
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function externallyAccessible(service: Service): boolean {
  const { type, externalIPs } = service.spec;
  return (
    type === 'NodePort' ||
    type === 'LoadBalancer' ||
    (type === 'ClusterIP' && (externalIPs?.length ?? 0) > 0)
  );
}
