// A pod's resolv.conf, as Kubernetes' pkg/kubelet/network/dns decides it from dnsPolicy:
// ClusterFirst → the cluster's DNS (`--cluster-dns`) with the namespace's service search path
// and ndots:5 (falling back to the node's resolv.conf when no cluster DNS is configured, or for a
// host-network pod); Default → the node's resolv.conf; None → only the pod's dnsConfig, which is
// otherwise merged on top.
import type { Pod } from '@skiff/api';
import type { DNSConfig } from '@skiff/proto';

export interface ResolvConf {
  readonly servers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

export interface ClusterDns {
  /** `--cluster-dns`: the cluster DNS service's IPs; empty when there is none. */
  readonly clusterDNS: readonly string[];
  /** `--cluster-domain`, e.g. `cluster.local`. */
  readonly clusterDomain: string;
  /** The node's own resolv.conf (`--resolv-conf`, /etc/resolv.conf). */
  readonly host: ResolvConf;
}

/**
 * Parses resolv.conf text as the kubelet does: nameservers accumulate, the last search (or
 * domain) line wins with trailing dots dropped (`example.com.` and `example.com` are one
 * entry), and so does the last options line.
 */
export function parseResolvConf(text: string): ResolvConf {
  const servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, ...fields] = line.split(/\s+/);
    if (keyword === 'nameserver' && fields[0] !== undefined) servers.push(fields[0]);
    else if (keyword === 'search' || keyword === 'domain')
      searches = fields.map((f) => (f.length > 1 ? f.replace(/\.$/, '') : f));
    else if (keyword === 'options') options = fields;
  }
  return { servers, searches, options };
}

// The API's limits on what a pod's resolv.conf may hold (validation.MaxDNSNameservers and the
// expanded search limits): glibc reads only three nameservers, and resolvers abort on longer lists.
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_LINE_CHARS = 2048;
const MAX_SEARCH_CHARS = 253;

/** Trims to the limits the kubelet enforces: first 3 servers, first 32 searches under 2048 chars. */
function fitLimits(config: ResolvConf): DNSConfig {
  const searches = config.searches
    .slice(0, MAX_SEARCHES)
    .filter((s) => s.length <= MAX_SEARCH_CHARS);
  while (searches.join(' ').length > MAX_SEARCH_LINE_CHARS) searches.pop();
  return {
    servers: config.servers.slice(0, MAX_NAMESERVERS),
    searches,
    options: [...config.options],
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Options by name, later ones winning (`ndots:5` then `ndots:2` → `ndots:2`). */
function mergeOptions(base: readonly string[], extra: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const option of [...base, ...extra]) byName.set(option.split(':')[0] ?? option, option);
  return [...byName.values()];
}

export function podDnsConfig(pod: Readonly<Pod>, dns: ClusterDns): DNSConfig {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec.hostNetwork === true;
  const wantsCluster =
    policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNetwork);
  let base: ResolvConf;
  if (policy === 'None') {
    base = { servers: [], searches: [], options: [] };
  } else if (wantsCluster && dns.clusterDNS.length > 0) {
    const namespace = pod.metadata.namespace ?? 'default';
    const domain = dns.clusterDomain;
    // Without a cluster domain there is no service search path to add, only the node's.
    const cluster = domain === '' ? [] : [`${namespace}.svc.${domain}`, `svc.${domain}`, domain];
    base = {
      servers: dns.clusterDNS,
      searches: [...cluster, ...dns.host.searches],
      options: ['ndots:5'],
    };
  } else {
    base = dns.host;
  }
  const extra = pod.spec.dnsConfig;
  const extraOptions = (extra?.options ?? [])
    .filter((o) => o.name !== undefined && o.name !== '')
    .map((o) => (o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : `${o.name}`));
  return fitLimits({
    servers: unique([...base.servers, ...(extra?.nameservers ?? [])]),
    searches: unique([...base.searches, ...(extra?.searches ?? [])]),
    options: mergeOptions(base.options, extraOptions),
  });
}
