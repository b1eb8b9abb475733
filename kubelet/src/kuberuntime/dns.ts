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

/** Parses resolv.conf text: nameserver, search/domain, options lines. */
export function parseResolvConf(text: string): ResolvConf {
  const servers: string[] = [];
  let searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, ...fields] = line.split(/\s+/);
    if (keyword === 'nameserver' && fields[0] !== undefined) servers.push(fields[0]);
    else if (keyword === 'search' || keyword === 'domain') searches = fields;
    else if (keyword === 'options') options.push(...fields);
  }
  return { servers, searches, options };
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
    base = {
      servers: dns.clusterDNS,
      searches: [`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...dns.host.searches],
      options: ['ndots:5'],
    };
  } else {
    base = dns.host;
  }
  const extra = pod.spec.dnsConfig;
  const extraOptions = (extra?.options ?? [])
    .filter((o) => o.name !== undefined && o.name !== '')
    .map((o) => (o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : `${o.name}`));
  return {
    servers: unique([...base.servers, ...(extra?.nameservers ?? [])]),
    searches: unique([...base.searches, ...(extra?.searches ?? [])]),
    options: mergeOptions(base.options, extraOptions),
  };
}
