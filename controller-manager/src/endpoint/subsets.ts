// The Endpoints a Service should have (Kubernetes' endpoints controller, syncService): every
// selected pod with an IP, ready ones under `addresses` and not-ready ones under
// `notReadyAddresses` (all ready with publishNotReadyAddresses), terminating pods left out,
// each service port resolved per pod (a named targetPort can differ between pods), and the
// result repacked so pods that share a port set share a subset, in a stable order.
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service } from '@skiff/api';
import { isPodReady } from '../podutil/pod.js';
import {
  findPort,
  hostnameInService,
  isHeadless,
  podIPsOfFamily,
  podReference,
  serviceFamily,
  shouldPodBeInEndpoints,
} from '../endpointutil/service-pods.js';

interface Member {
  readonly address: EndpointAddress;
  readonly ready: boolean;
  readonly ports: EndpointPort[];
}

export function desiredSubsets(
  service: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const family = serviceFamily(service);
  const members: Member[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = podIPsOfFamily(pod, family)[0];
    if (!ip) continue;
    const hostname = hostnameInService(pod, service);
    const address: EndpointAddress = {
      ip,
      ...(hostname && { hostname }),
      ...(pod.spec.nodeName && { nodeName: pod.spec.nodeName }),
      targetRef: podReference(pod),
    };
    const ready = publishNotReady || isPodReady(pod);
    const servicePorts = service.spec?.ports ?? [];
    if (servicePorts.length === 0) {
      // Only a headless service may have no ports: its pods are listed by address alone.
      if (isHeadless(service)) members.push({ address, ready, ports: [] });
      continue;
    }
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({
        ...(sp.name !== undefined && { name: sp.name }),
        port,
        protocol: sp.protocol ?? 'TCP',
        ...(sp.appProtocol !== undefined && { appProtocol: sp.appProtocol }),
      });
    }
    if (ports.length > 0) members.push({ address, ready, ports });
  }
  return repack(members);
}

/** Groups addresses by identical port sets, sorted, so equal content compares equal. */
function repack(members: readonly Member[]): EndpointSubset[] {
  const bySet = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  for (const m of members) {
    const ports = [...m.ports].sort(comparePorts);
    const key = JSON.stringify(ports);
    let group = bySet.get(key);
    if (!group) bySet.set(key, (group = { ports, ready: [], notReady: [] }));
    (m.ready ? group.ready : group.notReady).push(m.address);
  }
  const subsets = [...bySet.values()].map((g) => ({
    ...(g.ready.length > 0 && { addresses: g.ready.sort(compareAddresses) }),
    ...(g.notReady.length > 0 && { notReadyAddresses: g.notReady.sort(compareAddresses) }),
    ...(g.ports.length > 0 && { ports: g.ports }),
  }));
  return subsets.sort((a, b) => {
    const ka = JSON.stringify(a.ports ?? []);
    const kb = JSON.stringify(b.ports ?? []);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const na = a.name ?? '';
  const nb = b.name ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.port - b.port;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}
