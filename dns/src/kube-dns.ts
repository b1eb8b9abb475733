// Where cluster DNS is expected: the ClusterIP(s) of kube-system/kube-dns, the address the
// kubelet writes into pods' resolv.conf (--cluster-dns). `skiff dns` listens there by default.
import { isNotFound } from '@skiff/api';
import type { Client } from '@skiff/client';
import type { HostPort } from './host-port.js';

export const KUBE_DNS = { namespace: 'kube-system', name: 'kube-dns' } as const;

/** kube-dns's ClusterIPs on port 53, or an empty list when the Service does not exist. */
export async function kubeDnsAddresses(client: Client): Promise<HostPort[]> {
  try {
    const service = await client.services(KUBE_DNS.namespace).get(KUBE_DNS.name);
    const ips = service.spec.clusterIPs ?? (service.spec.clusterIP ? [service.spec.clusterIP] : []);
    return ips.filter((ip) => ip !== 'None').map((host) => ({ host, port: 53 }));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}
