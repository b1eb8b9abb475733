// The node's bridge: every pod's host-side veth is a port of it, and it holds the gateway address,
// which also gives the host its route to the pod CIDR. Ensuring it is idempotent and repairs what
// it finds missing (address, link state), so calling it before every setUp heals a bridge an
// operator took down.
import { formatIpv4 } from '@skiff/api';
import type { PodCidr } from './pod-cidr.js';
import type { Iproute } from './iproute.js';

export async function ensureBridge(ip: Iproute, name: string, cidr: PodCidr): Promise<void> {
  // One `ip` call tells whether it exists, is a bridge, is up and has the gateway address: this
  // runs before every pod's setUp, so it is kept to a single process.
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
