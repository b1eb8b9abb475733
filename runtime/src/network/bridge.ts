// The node's bridge: every pod's host-side veth is a port of it, and it holds the gateway address,
// which also gives the host its route to the pod CIDR. Ensuring it is idempotent and repairs what
// it finds missing (address, link state), so calling it before every setUp heals a bridge an
// operator took down.
//
// Before every setUp the bridge is nearly always fine, so it is first looked at without a process
// (a process is a fork of the whole runtime, and on a loaded machine a wait for a CPU with the
// runtime's event loop stopped until the child has exec'd): the interface list Node reads with
// getifaddrs(3) names only interfaces that are up and running, with their addresses, and sysfs
// says whether one is a bridge. Anything short of "up, a bridge, with the gateway address" — a
// bridge without running ports yet, one taken down, a missing address — goes the `ip` way, which
// repairs it.
import { existsSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { formatIpv4 } from '@skiff/api';
import type { PodCidr } from './pod-cidr.js';
import type { Iproute } from './iproute.js';

/** What the look without a process sees: up-and-running interfaces, and which names are bridges. */
export interface HostInterfacesView {
  readonly interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  isBridge(name: string): boolean;
}

const hostInterfaces = (): HostInterfacesView => ({
  interfaces: networkInterfaces(),
  isBridge: (name) => existsSync(`/sys/class/net/${name}/bridge`),
});

/** Whether the bridge is up and running, a bridge, and holds the gateway address of `cidr`. */
export function bridgeReadyIn(view: HostInterfacesView, name: string, cidr: PodCidr): boolean {
  const gateway = `${formatIpv4(cidr.gateway)}/${cidr.prefixLength}`;
  const addresses = view.interfaces[name] ?? [];
  return addresses.some((a) => a.family === 'IPv4' && a.cidr === gateway) && view.isBridge(name);
}

export async function ensureBridge(
  ip: Iproute,
  name: string,
  cidr: PodCidr,
  look: () => HostInterfacesView = hostInterfaces,
): Promise<void> {
  if (bridgeReadyIn(look(), name, cidr)) return;
  // One `ip` call tells whether it exists, is a bridge, is up and has the gateway address.
  let found = await ip.linkWithAddresses(name);
  if (found === undefined) {
    await ignoringAlreadyExists(ip.run(['link', 'add', 'name', name, 'type', 'bridge']));
    found = await ip.linkWithAddresses(name);
    if (found === undefined) throw new Error(`bridge ${name} vanished right after it was created`);
  }
  const { link, addresses } = found;
  if (link.kind !== 'bridge') {
    throw new Error(
      `cannot use ${name} as the pod bridge: it exists and is ${link.kind ? `a ${link.kind} device` : 'not a bridge'}`,
    );
  }
  const gateway = formatIpv4(cidr.gateway);
  if (!addresses.some((a) => a.address === gateway && a.prefixLength === cidr.prefixLength)) {
    await ignoringAlreadyExists(
      ip.run(['addr', 'add', `${gateway}/${cidr.prefixLength}`, 'dev', name]),
    );
  }
  if (!link.up) await ip.run(['link', 'set', 'dev', name, 'up']);
}

/** Deletes the bridge if it exists. Pods still attached lose their uplink: tear them down first. */
export async function removeBridge(ip: Iproute, name: string): Promise<void> {
  if ((await ip.link(name)) !== undefined) await ip.run(['link', 'delete', 'dev', name]);
}

// Another process (a second runtime started by mistake, a test) may win the race to create the
// same object; what matters is that it exists afterwards, which the caller checks next.
async function ignoringAlreadyExists(step: Promise<unknown>): Promise<void> {
  try {
    await step;
  } catch (err) {
    if (!/File exists/.test((err as Error).message)) throw err;
  }
}
