// Where the pod network's fast path (decision 0023) meets the runtime. @skiff/podnet assembles
// the node's programs and pins its to-nodes program in the BPF filesystem, under a directory
// named after the network namespace they serve (its cookie); the runtime puts that program on the
// host end of each pod veth it creates, as Cilium's CNI plugin puts its endpoint program there. Nothing
// pinned (no podnet on this node, a kernel without the fast path): the pod goes through the
// node's stack as before. Which is also what happens to a pod's packets between its creation
// and a podnet that starts later: podnet puts the program on every pod veth it finds.
import { mkdir, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { closeFd, openPinned } from '../linux/bpf/bpf-syscall.js';
import { attachIngressProgram, type IngressFilter } from '../linux/bpf/tc-filter.js';
import { netnsCookie } from '../linux/netns-cookie.js';
import { listLinkSizes, type LinkSizes } from '../linux/rtnetlink.js';
import { sandboxIdFromAlias } from './names.js';

export const BPF_FS = '/sys/fs/bpf';

/** The to-nodes filter on a pod's host veth (a priority of skiff's own, so replacing is safe). */
export const TO_NODES_FILTER: IngressFilter = { priority: 0x5c1f, name: 'skiff_to_nodes' };
/** The to-pods filter on the uplink and the VXLAN device. */
export const TO_PODS_FILTER: IngressFilter = { priority: 0x5c1f, name: 'skiff_to_pods' };

/**
 * The pins of the network namespace at `netnsPath` (this process's own when undefined), named by
 * its cookie: a namespace made after another was deleted never takes the deleted one's pins.
 */
export async function fastPathPinDir(netnsPath?: string): Promise<string> {
  return `${BPF_FS}/skiff/netns-${await netnsCookie(netnsPath)}`;
}

/**
 * Removes a namespace's pins. Whoever deletes a network namespace podnet ran in does this first
 * (`skiff lab down`, the tests' labs): the BPF filesystem outlives the namespace.
 */
export async function removeFastPathPins(netnsPath?: string): Promise<void> {
  await rm(await fastPathPinDir(netnsPath), { recursive: true, force: true });
}

export const TO_NODES_PIN = 'to-nodes';

/** Mounts the BPF filesystem at /sys/fs/bpf when nothing is there (systemd usually has). */
export async function ensureBpfFilesystem(): Promise<void> {
  const { stdout } = await promisify(execFile)('findmnt', ['-n', '-o', 'FSTYPE', BPF_FS]).catch(
    () => ({ stdout: '' }),
  );
  if (stdout.trim() !== 'bpf') {
    await promisify(execFile)('mount', ['-t', 'bpf', 'bpf', BPF_FS]);
  }
  await mkdir(`${BPF_FS}/skiff`, { recursive: true });
}

/**
 * Puts the pinned to-nodes program on the host veth named `hostVeth`, when podnet has pinned one
 * for this namespace. Whether it did.
 */
export async function attachFastPathToPod(hostVeth: string, netnsPath?: string): Promise<boolean> {
  const fd = await openPinned(`${await fastPathPinDir(netnsPath)}/${TO_NODES_PIN}`);
  if (fd === undefined) return false;
  try {
    const link = (await listLinkSizes(netnsPath)).find((l) => l.name === hostVeth);
    if (link === undefined) throw new Error(`no link ${hostVeth}`);
    await attachIngressProgram(link.index, TO_NODES_FILTER, fd, netnsPath);
    return true;
  } finally {
    await closeFd(fd);
  }
}

/** The host ends of the pods' veths in a namespace (they carry the runtime's sandbox alias). */
export async function listPodHostVeths(netnsPath?: string): Promise<LinkSizes[]> {
  const links = await listLinkSizes(netnsPath);
  return links.filter((link) => sandboxIdFromAlias(link.alias) !== undefined);
}
