// What the Endpoints and EndpointSlice controllers share (Kubernetes' pkg/controller/util/endpoint
// and podutil): which services select a pod, whether a pod belongs in a service's endpoints, the
// port a service port means for one pod, and the hostname a pod gets in a headless service.
import {
  selectorFromSet,
  type ObjectReference,
  type Pod,
  type Service,
  type ServicePort,
} from '@skiff/api';
import type { Lister } from '@skiff/client';

/** Services this controller keeps endpoints for: those with a selector, not ExternalName. */
export function managesEndpoints(service: Readonly<Service>): boolean {
  return service.spec?.selector !== undefined && service.spec.type !== 'ExternalName';
}

/** The services of the pod's namespace whose selector matches its labels. */
export function servicesSelecting(
  services: Lister<Service>,
  pod: Readonly<Pod>,
): Readonly<Service>[] {
  return services
    .namespace(pod.metadata.namespace ?? '')
    .list()
    .filter((svc) => {
      const selector = svc.spec?.selector;
      // A service without a selector has its endpoints written by someone else.
      return selector !== undefined && selectorFromSet(selector).matches(pod.metadata.labels);
    });
}

/** The pods a service selects, from the cache. */
export function podsOf(pods: Lister<Pod>, service: Readonly<Service>): Readonly<Pod>[] {
  const selector = service.spec?.selector;
  if (!selector) return [];
  return pods.namespace(service.metadata.namespace ?? '').list(selector);
}

/**
 * Kubernetes' ShouldPodBeInEndpoints: the pod has an IP; it is not terminating (unless
 * `includeTerminating`); and it has not finished for good (a Never pod that succeeded or
 * failed, an OnFailure pod that succeeded).
 */
export function shouldPodBeInEndpoints(pod: Readonly<Pod>, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  switch (pod.spec.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/**
 * The container port a service port reaches on this pod (Kubernetes' FindPort): a numeric
 * targetPort as it is, a named one looked up among the pod's container ports with the same
 * protocol. Undefined when the pod has no port of that name: the pod is left out for that port.
 */
export function findPort(
  pod: Readonly<Pod>,
  servicePort: Readonly<ServicePort>,
): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec.containers) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** A pod's hostname in a service: set when its subdomain names the (headless) service. */
export function hostnameInService(
  pod: Readonly<Pod>,
  service: Readonly<Service>,
): string | undefined {
  const { hostname, subdomain } = pod.spec;
  return hostname &&
    subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace
    ? hostname
    : undefined;
}

export function isHeadless(service: Readonly<Service>): boolean {
  return service.spec?.clusterIP === 'None';
}

/** The pod's IPs of one family (`4` or `6`), primary first. */
export function podIPsOfFamily(pod: Readonly<Pod>, family: 4 | 6): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.filter((ip) => (ip.includes(':') ? 6 : 4) === family);
}

export function podReference(pod: Readonly<Pod>): ObjectReference {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    ...(pod.metadata.uid && { uid: pod.metadata.uid }),
  };
}

/** The IP family a service's endpoints use: its first ipFamily, else its cluster IP's, else 4. */
export function serviceFamily(service: Readonly<Service>): 4 | 6 {
  const first = service.spec?.ipFamilies?.[0];
  if (first) return first === 'IPv6' ? 6 : 4;
  const clusterIP = service.spec?.clusterIP;
  return clusterIP && clusterIP !== 'None' && clusterIP.includes(':') ? 6 : 4;
}

/** Pod fields whose change can change a service's endpoints (Kubernetes' podEndpointsChanged). */
export function podEndpointsChanged(old: Readonly<Pod>, cur: Readonly<Pod>): boolean {
  const view = (p: Readonly<Pod>): string =>
    JSON.stringify([
      p.metadata.deletionTimestamp,
      p.status?.phase,
      p.status?.podIP,
      p.status?.podIPs,
      p.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      p.spec.nodeName,
      p.spec.hostname,
      p.spec.subdomain,
      p.metadata.labels,
    ]);
  return view(old) !== view(cur);
}

/**
 * The services a pod update concerns: those selecting it before or after (a label change moves
 * it between services), none for a resync or a change that cannot move any endpoint.
 */
export function servicesForPodUpdate(
  services: Lister<Service>,
  old: Readonly<Pod>,
  cur: Readonly<Pod>,
): Set<Readonly<Service>> {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return new Set();
  if (!podEndpointsChanged(old, cur)) return new Set();
  return new Set([...servicesSelecting(services, old), ...servicesSelecting(services, cur)]);
}
