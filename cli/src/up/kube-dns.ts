// The `kube-system/kube-dns` Service `skiff up` keeps, and where its DNS is answered.
//
// In Kubernetes, kube-dns is an ordinary ClusterIP Service (the 10th address of the service
// range, which the kubelet's --cluster-dns names) in front of CoreDNS pods, and kube-proxy's
// rules carry ClusterIP:53 to them. skiff's DNS runs inside `skiff up` on the host network, so
// it is a host-network DNS pod: the Service has no selector and `up` writes its EndpointSlice
// itself (as the apiserver does for `default/kubernetes`), and the proxy DNATs the ClusterIP like
// any other Service's. Binding the ClusterIP on a dummy interface instead (kube-proxy ipvs's
// kube-ipvs0) would bypass the proxy, and with the proxy running would not even be reached: a
// Service without endpoints is rejected by its rules.
//
// The endpoint is the first node's bridge gateway (the first address of its pod CIDR), not the
// node's InternalIP: port 53 on a node's outside address would be an open resolver for its whole
// network, and each `skiff up` on a machine has a bridge of its own, so two clusters (tests,
// labs) never fight over one port 53. Pods reach their gateway directly, the host reaches it
// too. With a runtime of its own (--runtime <endpoint>) `up` knows no bridge: the InternalIP.
import {
  formatIpv4,
  isAlreadyExists,
  isNotFound,
  requireIpv4,
  type EndpointSlice,
  type Node,
  type Service,
} from '@skiff/api';
import { DEFAULT_SERVICE_CIDR } from '@skiff/apiserver/service-ranges';
import type { Client } from '@skiff/client';
import { KUBE_DNS } from '@skiff/dns/kube-dns';

export const CLUSTER_DOMAIN = 'cluster.local';
/** Written by `skiff up` only: the endpointslice controller leaves slices of others alone. */
const MANAGED_BY = 'skiff-up';
const SLICE_NAME = 'kube-dns-skiff-up';
const DNS_PORTS = [
  { name: 'dns', protocol: 'UDP', port: 53 },
  { name: 'dns-tcp', protocol: 'TCP', port: 53 },
] as const;

/** kubeadm's choice: the 10th address of the service range (10.96.0.10 for 10.96.0.0/12). */
export function clusterDnsIP(serviceCidr: string = DEFAULT_SERVICE_CIDR): string {
  const [base = '', bits = ''] = serviceCidr.split('/');
  const size = 2 ** (32 - Number(bits));
  if (!(size >= 16)) throw new Error(`service CIDR ${serviceCidr} has no room for kube-dns`);
  return formatIpv4(Math.floor(requireIpv4(base) / size) * size + 10);
}

/**
 * Creates kube-dns on `ip` unless it exists, and answers the ClusterIP it has: that is what the
 * kubelets must write into pods' resolv.conf.
 */
export async function ensureKubeDnsService(client: Client, ip: string): Promise<string> {
  const services = client.services(KUBE_DNS.namespace);
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBE_DNS.name,
      namespace: KUBE_DNS.namespace,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'skiff-dns' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      ports: DNS_PORTS.map((p) => ({ ...p, targetPort: p.port })),
    },
  };
  let existing: Service;
  try {
    existing = await services.get(KUBE_DNS.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      existing = await services.create(service);
    } catch (createErr) {
      if (!isAlreadyExists(createErr)) throw createErr;
      existing = await services.get(KUBE_DNS.name);
    }
  }
  const clusterIP = existing.spec.clusterIP;
  if (clusterIP === undefined || clusterIP === '' || clusterIP === 'None') {
    throw new Error(`${KUBE_DNS.namespace}/${KUBE_DNS.name} exists without a ClusterIP`);
  }
  return clusterIP;
}

/**
 * Where cluster DNS listens for `nodeName`: the gateway of the pod CIDR its kubelet gave the
 * runtime (Node spec.podCIDR; else `plannedPodCidr`), or, when `up` runs no runtime of its own,
 * the node's InternalIP.
 */
export async function dnsListenAddress(
  client: Client,
  nodeName: string,
  plannedPodCidr: string | undefined,
): Promise<string> {
  const node: Node = await client.nodes().get(nodeName);
  if (plannedPodCidr !== undefined) {
    const [base = ''] = (node.spec?.podCIDR ?? plannedPodCidr).split('/');
    return formatIpv4(requireIpv4(base) + 1);
  }
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (ip === undefined) throw new Error(`node ${nodeName} reports no InternalIP`);
  return ip;
}

/** Makes `address` (where skiff dns listens, port 53) kube-dns's one ready endpoint, on `nodeName`. */
export async function publishKubeDnsEndpoint(
  client: Client,
  endpoint: { readonly nodeName: string; readonly address: string },
): Promise<void> {
  const slices = client.endpointSlices(KUBE_DNS.namespace);
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: SLICE_NAME,
      namespace: KUBE_DNS.namespace,
      labels: {
        'kubernetes.io/service-name': KUBE_DNS.name,
        'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
      },
    },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: [endpoint.address],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: endpoint.nodeName,
      },
    ],
    ports: DNS_PORTS.map((p) => ({ ...p })),
  };
  try {
    const existing = await slices.get(SLICE_NAME);
    await slices.update({
      ...slice,
      metadata: { ...slice.metadata, resourceVersion: existing.metadata.resourceVersion },
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await slices.create(slice);
  }
}
