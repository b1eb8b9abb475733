// The endpoints a Service's slices should hold (Kubernetes' endpointslice reconciler, before it
// places them): one Endpoint per selected pod with an IP of the slice's family, grouped by the
// ports the pod serves — a named targetPort can resolve differently per pod, and all endpoints
// of one slice share one port list. Unlike Endpoints, terminating pods stay, marked terminating.
import type { Endpoint, EndpointSlicePort, Pod, Service } from '@skiff/api';
import { isPodReady } from '../podutil/pod.js';
import {
  findPort,
  hostnameInService,
  podIPsOfFamily,
  podReference,
  serviceFamily,
  shouldPodBeInEndpoints,
} from '../endpointutil/service-pods.js';

export interface EndpointGroup {
  readonly ports: EndpointSlicePort[];
  readonly endpoints: Endpoint[];
}

/** Endpoints grouped by their port list; the key is the port list's canonical JSON. */
export function desiredEndpoints(
  service: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
): Map<string, EndpointGroup> {
  const family = serviceFamily(service);
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const addresses = podIPsOfFamily(pod, family).slice(0, 1);
    if (addresses.length === 0) continue;
    const ports = endpointPorts(service, pod);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(podToEndpoint(service, pod, addresses));
  }
  return groups;
}

export function podToEndpoint(
  service: Readonly<Service>,
  pod: Readonly<Pod>,
  addresses: string[],
): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  // publishNotReadyAddresses: ready no matter what, so DNS answers for every pod (StatefulSets).
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const hostname = hostnameInService(pod, service);
  return {
    addresses,
    conditions: { ready, serving, terminating },
    ...(hostname && { hostname }),
    targetRef: podReference(pod),
    ...(pod.spec.nodeName && { nodeName: pod.spec.nodeName }),
  };
}

/** The service's ports as this pod serves them; ports the pod cannot resolve are left out. */
function endpointPorts(service: Readonly<Service>, pod: Readonly<Pod>): EndpointSlicePort[] {
  const ports: EndpointSlicePort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    ports.push({
      name: sp.name ?? '',
      port,
      protocol: sp.protocol ?? 'TCP',
      ...(sp.appProtocol !== undefined && { appProtocol: sp.appProtocol }),
    });
  }
  return ports.sort((a, b) => (a.name === b.name ? 0 : (a.name ?? '') < (b.name ?? '') ? -1 : 1));
}

export function portsKey(ports: readonly EndpointSlicePort[]): string {
  return JSON.stringify(
    [...ports]
      .map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? ''])
      .sort(),
  );
}

/** An endpoint's identity across syncs: the pod it stands for (else its first address). */
export function endpointKey(endpoint: Readonly<Endpoint>): string {
  return (
    endpoint.targetRef?.uid ?? `${endpoint.targetRef?.name ?? ''}/${endpoint.addresses[0] ?? ''}`
  );
}
