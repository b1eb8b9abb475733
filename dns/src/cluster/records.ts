// ClusterRecords: the ClusterView kept current from Service and EndpointSlice events. Every
// change to a service or one of its slices recomputes that one service's entries (its ready
// endpoints and its reverse records), so a query never walks the whole cluster.
import type { EndpointSlice, Service } from '@skiff/api';
import { dashedIP, normalizeIP } from '../names.js';
import type {
  ClusterView,
  EndpointRecord,
  NamedPort,
  ServiceRecord,
  ServiceShape,
} from './view.js';

/** The label the endpointslice controller puts on every slice it keeps for a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class ClusterRecords implements ClusterView {
  private readonly services = new Map<string, ServiceRecord>();
  /** Slices by their own key, as last seen. */
  private readonly slices = new Map<string, Readonly<EndpointSlice>>();
  /** Service key → the keys of its slices. */
  private readonly slicesOf = new Map<string, Set<string>>();
  private readonly endpoints = new Map<string, readonly EndpointRecord[]>();
  /** Service key → the (ip, target) pairs it contributes to `reverseIndex`. */
  private readonly contributions = new Map<string, readonly (readonly [string, string])[]>();
  private readonly reverseIndex = new Map<string, Map<string, number>>();
  private readonly perNamespace = new Map<string, number>();
  private version = 0;

  constructor(private readonly onChange: () => void = () => undefined) {}

  setService(service: Readonly<Service>): void {
    const { namespace = '', name = '' } = service.metadata;
    const key = keyOf(namespace, name);
    if (!this.services.has(key))
      this.perNamespace.set(namespace, this.namespaceCount(namespace) + 1);
    this.services.set(key, serviceRecord(service));
    this.refresh(key);
  }

  deleteService(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    if (!this.services.delete(key)) return;
    const left = this.namespaceCount(namespace) - 1;
    if (left > 0) this.perNamespace.set(namespace, left);
    else this.perNamespace.delete(namespace);
    this.refresh(key);
  }

  setEndpointSlice(slice: Readonly<EndpointSlice>): void {
    const sliceKey = keyOf(slice.metadata.namespace ?? '', slice.metadata.name ?? '');
    const before = this.slices.get(sliceKey);
    this.slices.set(sliceKey, slice);
    const owner = ownerKey(slice);
    const previousOwner = before && ownerKey(before);
    if (previousOwner !== undefined && previousOwner !== owner) {
      this.slicesOf.get(previousOwner)?.delete(sliceKey);
      this.refresh(previousOwner);
    }
    if (owner === undefined) return;
    let set = this.slicesOf.get(owner);
    if (!set) this.slicesOf.set(owner, (set = new Set()));
    set.add(sliceKey);
    this.refresh(owner);
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    const sliceKey = keyOf(namespace, name);
    const slice = this.slices.get(sliceKey);
    if (!slice) return;
    this.slices.delete(sliceKey);
    const owner = ownerKey(slice);
    if (owner === undefined) return;
    const set = this.slicesOf.get(owner);
    set?.delete(sliceKey);
    if (set?.size === 0) this.slicesOf.delete(owner);
    this.refresh(owner);
  }

  service(namespace: string, name: string): ServiceRecord | undefined {
    return this.services.get(keyOf(namespace, name));
  }

  readyEndpoints(namespace: string, name: string): readonly EndpointRecord[] {
    return this.endpoints.get(keyOf(namespace, name)) ?? [];
  }

  hasNamespace(namespace: string): boolean {
    return this.perNamespace.has(namespace);
  }

  reverse(ip: string): readonly string[] {
    return [...(this.reverseIndex.get(normalizeIP(ip))?.keys() ?? [])];
  }

  serial(): number {
    return this.version;
  }

  private namespaceCount(namespace: string): number {
    return this.perNamespace.get(namespace) ?? 0;
  }

  /** Recomputes one service's endpoints and reverse records from what is known now. */
  private refresh(serviceKey: string): void {
    const service = this.services.get(serviceKey);
    const endpoints = service ? this.collectEndpoints(serviceKey) : [];
    if (endpoints.length > 0) this.endpoints.set(serviceKey, endpoints);
    else this.endpoints.delete(serviceKey);
    this.replaceContributions(serviceKey, service ? reverseEntries(service, endpoints) : []);
    this.version++;
    this.onChange();
  }

  private collectEndpoints(serviceKey: string): EndpointRecord[] {
    const byIP = new Map<string, EndpointRecord>();
    for (const sliceKey of this.slicesOf.get(serviceKey) ?? []) {
      const slice = this.slices.get(sliceKey);
      // FQDN slices name hosts, not addresses: nothing the A/AAAA/PTR schema can use.
      if (!slice || slice.addressType === 'FQDN') continue;
      const ports = namedPorts(
        (slice.ports ?? []).flatMap((p) =>
          p.port === undefined ? [] : [{ name: p.name, protocol: p.protocol, port: p.port }],
        ),
      );
      for (const endpoint of slice.endpoints) {
        // A nil `ready` means "unknown", which consumers are told to read as ready.
        if (endpoint.conditions?.ready === false) continue;
        // Only the first address counts: the others are the same endpoint (discovery/v1).
        const first = endpoint.addresses[0];
        if (first === undefined) continue;
        const ip = normalizeIP(first);
        if (byIP.has(ip)) continue;
        byIP.set(ip, { ip, hostname: endpoint.hostname?.toLowerCase() ?? dashedIP(ip), ports });
      }
    }
    return [...byIP.values()];
  }

  private replaceContributions(
    serviceKey: string,
    entries: readonly (readonly [string, string])[],
  ): void {
    for (const [ip, target] of this.contributions.get(serviceKey) ?? []) {
      const targets = this.reverseIndex.get(ip);
      const count = (targets?.get(target) ?? 0) - 1;
      if (count > 0) targets?.set(target, count);
      else targets?.delete(target);
      if (targets?.size === 0) this.reverseIndex.delete(ip);
    }
    for (const [ip, target] of entries) {
      let targets = this.reverseIndex.get(ip);
      if (!targets) this.reverseIndex.set(ip, (targets = new Map<string, number>()));
      targets.set(target, (targets.get(target) ?? 0) + 1);
    }
    if (entries.length > 0) this.contributions.set(serviceKey, entries);
    else this.contributions.delete(serviceKey);
  }
}

function ownerKey(slice: Readonly<EndpointSlice>): string | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return service ? keyOf(slice.metadata.namespace ?? '', service) : undefined;
}

function shapeOf(service: Readonly<Service>): ServiceShape {
  if (service.spec.type === 'ExternalName') return 'ExternalName';
  return service.spec.clusterIP === 'None' || !service.spec.clusterIP ? 'Headless' : 'ClusterIP';
}

function serviceRecord(service: Readonly<Service>): ServiceRecord {
  const shape = shapeOf(service);
  const ips = service.spec.clusterIPs ?? (service.spec.clusterIP ? [service.spec.clusterIP] : []);
  const externalName = service.spec.externalName?.toLowerCase().replace(/\.$/, '');
  return {
    namespace: service.metadata.namespace ?? '',
    name: service.metadata.name ?? '',
    shape,
    clusterIPs: shape === 'ClusterIP' ? ips.filter((ip) => ip !== 'None').map(normalizeIP) : [],
    ...(shape === 'ExternalName' && externalName && { externalName }),
    ports: namedPorts(service.spec.ports ?? []),
  };
}

function namedPorts(
  ports: readonly { name?: string | undefined; protocol?: string | undefined; port: number }[],
): NamedPort[] {
  return ports.flatMap((p) =>
    p.name
      ? [
          {
            name: p.name.toLowerCase(),
            protocol: (p.protocol ?? 'TCP').toLowerCase(),
            port: p.port,
          },
        ]
      : [],
  );
}

/**
 * PTR targets (relative to the zone): a ClusterIP points at the service, a headless service's
 * ready endpoint at `<hostname>.<service>.<ns>.svc`.
 */
function reverseEntries(
  service: ServiceRecord,
  endpoints: readonly EndpointRecord[],
): (readonly [string, string])[] {
  const name = `${service.name}.${service.namespace}.svc`;
  if (service.shape === 'ClusterIP') return service.clusterIPs.map((ip) => [ip, name] as const);
  if (service.shape === 'Headless') {
    return endpoints.map((e) => [e.ip, `${e.hostname}.${name}`] as const);
  }
  return [];
}
