// One Service port as the proxy sees it (kube-proxy's ServicePort / BaseServicePortInfo): what
// its rules need, already read off the Service, so the rule generators never look at API objects.
import type { Protocol, Service } from '@skiff/api';
import { isIPv4 } from 'node:net';

export interface ServicePortInfo {
  /**
   * `ns/name/tcp/port-name`: unique per (service, protocol, port name) — kube-proxy's
   * ServicePortName with the protocol — and readable inside chain names.
   */
  readonly key: string;
  /** `ns/name:port-name`, as kube-proxy writes it in comments and logs. */
  readonly displayName: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the Service has no node port. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerIPs: readonly string[];
  /** 0 without `sessionAffinity: ClientIP`; else its timeout (Kubernetes' default 10800 s). */
  readonly stickyMaxAgeSeconds: number;
  /** externalTrafficPolicy Local on a Service reachable from outside (node port, external IPs). */
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
}

/** Kubernetes' default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_STICKY_MAX_AGE_SECONDS = 10800;

export function servicePortKey(
  namespace: string,
  name: string,
  protocol: Protocol,
  portName: string,
): string {
  return `${namespace}/${name}/${protocol.toLowerCase()}/${portName}`;
}

/**
 * The ports of a Service the proxy programs. None for headless and ExternalName Services (DNS
 * answers those), and none for an IPv6 cluster IP: skiff's proxy programs the `ip` family only.
 */
export function servicePortsOf(service: Readonly<Service>): ServicePortInfo[] {
  const { spec, metadata } = service;
  const clusterIP = spec.clusterIP ?? '';
  if (spec.type === 'ExternalName' || !isIPv4(clusterIP)) return [];
  const namespace = metadata.namespace ?? 'default';
  const serviceName = metadata.name ?? '';
  const externallyReachable =
    spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.externalIPs ?? []).length > 0;
  const sticky =
    spec.sessionAffinity === 'ClientIP'
      ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_MAX_AGE_SECONDS)
      : 0;
  const loadBalancerIPs = (service.status?.loadBalancer?.ingress ?? [])
    .map((ingress) => ingress.ip ?? '')
    .filter((ip) => isIPv4(ip));
  return (spec.ports ?? []).map((port) => {
    const protocol = port.protocol ?? 'TCP';
    const portName = port.name ?? '';
    return {
      key: servicePortKey(namespace, serviceName, protocol, portName),
      displayName: `${namespace}/${serviceName}${portName ? `:${portName}` : ''}`,
      namespace,
      serviceName,
      portName,
      protocol,
      clusterIP,
      port: port.port,
      nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (port.nodePort ?? 0) : 0,
      externalIPs: (spec.externalIPs ?? []).filter((ip) => isIPv4(ip)),
      loadBalancerIPs,
      stickyMaxAgeSeconds: sticky,
      externalPolicyLocal: externallyReachable && spec.externalTrafficPolicy === 'Local',
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    };
  });
}
