// One endpoint of one Service port as the proxy sees it (kube-proxy's BaseEndpointInfo), read off
// the Service's EndpointSlices.
import type { EndpointSlice } from '@skiff/api';
import { servicePortKey } from './service-port.js';

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** Ready for new connections (a terminating endpoint never is). */
  readonly ready: boolean;
  /** Passing readiness, terminating or not: the fallback when nothing is ready. */
  readonly serving: boolean;
  readonly terminating: boolean;
  /** On this proxy's node: what `Local` traffic policies may use. */
  readonly isLocal: boolean;
}

/** The label the endpointslice controller puts on every slice of a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export const endpointKey = (endpoint: Pick<EndpointInfo, 'ip' | 'port'>): string =>
  `${endpoint.ip}/${endpoint.port}`;

/**
 * A Service's endpoints by service-port key, merged from all its slices. An address in two
 * slices (possible while the controller moves it) counts once, ready over not ready. Sorted by
 * address so the generated rules do not depend on the slices' order.
 */
export function endpointsBySlices(
  slices: readonly Readonly<EndpointSlice>[],
  nodeName: string,
): Map<string, EndpointInfo[]> {
  const byPort = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    // The proxy programs the `ip` family only; IPv6 and FQDN slices are not for it.
    if (slice.addressType !== 'IPv4') continue;
    const namespace = slice.metadata.namespace ?? 'default';
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (service === undefined) continue;
    for (const port of slice.ports ?? []) {
      if (port.port === undefined) continue;
      const key = servicePortKey(namespace, service, port.protocol ?? 'TCP', port.name ?? '');
      const endpoints = byPort.get(key) ?? new Map<string, EndpointInfo>();
      byPort.set(key, endpoints);
      for (const endpoint of slice.endpoints) {
        const ip = endpoint.addresses[0];
        if (ip === undefined) continue;
        // Kubernetes' reading of absent conditions: ready unless said otherwise, serving as ready.
        const ready = endpoint.conditions?.ready ?? true;
        const info: EndpointInfo = {
          ip,
          port: port.port,
          ready,
          serving: endpoint.conditions?.serving ?? ready,
          terminating: endpoint.conditions?.terminating ?? false,
          isLocal: endpoint.nodeName !== undefined && endpoint.nodeName === nodeName,
        };
        const seen = endpoints.get(endpointKey(info));
        if (!seen || (!seen.ready && info.ready)) endpoints.set(endpointKey(info), info);
      }
    }
  }
  return new Map(
    [...byPort].map(([key, endpoints]) => [key, [...endpoints.values()].sort(byAddress)]),
  );
}

function byAddress(a: EndpointInfo, b: EndpointInfo): number {
  return compareIPv4(a.ip, b.ip) || a.port - b.port;
}

function compareIPv4(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
