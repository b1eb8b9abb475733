// What name resolution reads of the cluster: Services and their ready endpoints, already
// reduced to what the DNS schema needs. Resolution is a pure function of a query and this view,
// so tests build a view from plain objects and the server keeps one current from informers.

/** A port as SRV records name it: `_<name>._<protocol>`, both lower case. */
export interface NamedPort {
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
}

export type ServiceShape = 'ClusterIP' | 'Headless' | 'ExternalName';

export interface ServiceRecord {
  readonly namespace: string;
  readonly name: string;
  readonly shape: ServiceShape;
  /** The ClusterIPs (IPv4 and/or IPv6); empty for headless and ExternalName services. */
  readonly clusterIPs: readonly string[];
  /** The CNAME target of an ExternalName service, lower case, no root dot. */
  readonly externalName?: string;
  /** The service's named ports (unnamed ports get no SRV record). */
  readonly ports: readonly NamedPort[];
}

export interface EndpointRecord {
  readonly ip: string;
  /**
   * The endpoint's DNS label: its `hostname` (a pod with hostname and subdomain), else its IP
   * with dashes — the "unique, system-assigned identifier" the spec asks for, as CoreDNS does.
   */
  readonly hostname: string;
  /** The named ports its EndpointSlice carries. */
  readonly ports: readonly NamedPort[];
}

export interface ClusterView {
  service(namespace: string, name: string): ServiceRecord | undefined;
  /** Ready endpoints of a service, one per address (deduplicated across its slices). */
  readyEndpoints(namespace: string, name: string): readonly EndpointRecord[];
  /** Whether any Service lives in the namespace (so `<ns>.svc.<zone>` exists as a name). */
  hasNamespace(namespace: string): boolean;
  /** PTR targets for an address, relative to the cluster domain: `web.default.svc`, … */
  reverse(ip: string): readonly string[];
  /** Changes whenever the records do: the SOA serial. */
  serial(): number;
}
