// BIG TCP for pods (IPv4, kernel 6.3+): a pod's veth pair takes the largest GSO/GRO packet size
// that every other link of the node takes, so a pod's TCP builds packets as large as the node's
// own TCP does. Every packet of a pod is forwarded by the node (one route lookup, one forward,
// one more veth hop per side, decision 0019); those costs are per packet, so a pod at 64 KiB
// behind a node at 185 KB pays them about three times as often per byte (decision 0021).
//
// The smallest size wins because a pod's packet may leave through any link: a GSO packet larger
// than its egress device takes is cut into MSS-sized packets in software, which is far slower
// than never growing it. Links at the kernel's default (64 KiB) — a tunnel device such as the
// VXLAN one, a NIC nobody enabled BIG TCP on, another runtime's pod veths — keep pods at the
// default too, and then nothing is changed at all. Not counted: loopback, links that are down,
// bridges (their ports are links of their own), and skiff's own pod veths, which this sets.
//
// The size is read when the pod's veth is made: a link that joins later at a smaller size (a
// tunnel device created after the pod) leaves that pod's traffic through it segmented in software.
import {
  listLinkSizes,
  rtnetlinkAvailable,
  setLinkIpv4GsoGroMaxSize,
  type LinkSizes,
} from '../linux/rtnetlink.js';
import { sandboxIdFromAlias } from './names.js';

/** The kernel's default, and the largest size an IPv4 packet's length field can say. */
export const LEGACY_GSO_MAX_SIZE = 65536;

/** The size for a pod's veth pair, or undefined to leave the kernel's default. */
export function podGsoIpv4MaxSize(
  links: readonly LinkSizes[],
  bridgeName: string,
): number | undefined {
  let smallest: number | undefined;
  for (const link of links) {
    if (!link.up || link.loopback || link.kind === 'bridge' || link.name === bridgeName) continue;
    if (sandboxIdFromAlias(link.alias) !== undefined) continue;
    // A kernel without the attribute has no BIG TCP for IPv4.
    if (link.gsoIpv4MaxSize === undefined) return undefined;
    smallest = Math.min(smallest ?? link.gsoIpv4MaxSize, link.gsoIpv4MaxSize);
  }
  return smallest !== undefined && smallest > LEGACY_GSO_MAX_SIZE ? smallest : undefined;
}

/**
 * Gives both ends of a new pod's veth pair the node's size (see above); returns it, or undefined
 * when the pair keeps the default (nothing is changed then).
 */
export async function matchPodGsoToNode(pair: {
  readonly bridgeName: string;
  readonly hostInterface: string;
  readonly podInterface: string;
  readonly podNetnsPath: string;
  /** The node's namespace; undefined: this process's (the runtime's). */
  readonly nodeNetnsPath?: string;
}): Promise<number | undefined> {
  if (!(await rtnetlinkAvailable())) return undefined;
  const size = podGsoIpv4MaxSize(await listLinkSizes(pair.nodeNetnsPath), pair.bridgeName);
  if (size === undefined) return undefined;
  await setLinkIpv4GsoGroMaxSize(pair.hostInterface, size, pair.nodeNetnsPath);
  await setLinkIpv4GsoGroMaxSize(pair.podInterface, size, pair.podNetnsPath);
  return size;
}
