// The node's addresses (Kubernetes' nodestatus.NodeAddress): InternalIP is `--node-ip` when
// given, else the IPv4 address of the interface the default route leaves by — the address other
// machines reach this one at, which the apiserver uses to reach the kubelet — and Hostname is
// the node's hostname.
import { readFile } from 'node:fs/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { NodeAddress } from '@skiff/api';

/** The interface of the IPv4 default route in /proc/net/route's text, if there is one. */
export function defaultRouteInterface(procNetRoute: string): string | undefined {
  let best: { iface: string; metric: number } | undefined;
  for (const line of procNetRoute.split('\n').slice(1)) {
    const [iface, destination, , , , , metric, mask] = line.trim().split(/\s+/);
    if (iface === undefined || destination !== '00000000' || mask !== '00000000') continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { iface, metric: m };
  }
  return best?.iface;
}

/** The first global IPv4 address of `iface`. */
export function ipv4Of(
  iface: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string | undefined {
  return interfaces[iface]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
}

/** --node-ip, else the default route's address, else the first non-loopback IPv4 address. */
export async function detectNodeIP(nodeIP: string | undefined): Promise<string> {
  if (nodeIP !== undefined && nodeIP !== '') return nodeIP;
  let routes = '';
  try {
    routes = await readFile('/proc/net/route', 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const iface = defaultRouteInterface(routes);
  const viaRoute = iface === undefined ? undefined : ipv4Of(iface);
  if (viaRoute !== undefined) return viaRoute;
  const any = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
  if (any === undefined) throw new Error('no IPv4 address found for the node; pass --node-ip');
  return any.address;
}

export function nodeAddresses(internalIP: string, hostname: string): NodeAddress[] {
  return [
    { type: 'InternalIP', address: internalIP },
    { type: 'Hostname', address: hostname },
  ];
}
