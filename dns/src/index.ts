// Public entry of @skiff/dns: cluster DNS in CoreDNS's role. startDns() serves the Kubernetes
// DNS schema from Services and EndpointSlices and forwards everything else; resolve() is the
// schema itself, a pure function of a question and the cluster's records.
export { startDns, type DnsOptions, type DnsServer } from './dns.js';
export { kubeDnsAddresses, KUBE_DNS } from './kube-dns.js';
export { hostUpstreams, nameserversOf, type Upstream } from './forward/upstream.js';
export { formatHostPort, parseHostPort, type HostPort } from './host-port.js';
export { resolve } from './resolve/resolve.js';
export type { Resolution, ZoneConfig } from './resolve/resolution.js';
export { ClusterRecords } from './cluster/records.js';
export type { ClusterView } from './cluster/view.js';
