// The uplink: the interface that holds the node's InternalIP. host-gw routes leave through it,
// the VXLAN device is bound to it, and its subnet is "this node's L2 segment".
import type { CommandRunner } from '@skiff/proxy';

export interface Uplink {
  readonly name: string;
  /** The InternalIP with the interface's prefix, e.g. `192.168.1.5/24`. */
  readonly cidr: string;
  readonly address: string;
  readonly mtu: number;
}

interface AddrJson {
  ifname?: string;
  mtu?: number;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

/** Finds the interface holding `address` (or named `iface`); undefined when there is none. */
export async function findUplink(
  run: CommandRunner,
  address: string,
  iface?: string,
): Promise<Uplink | undefined> {
  const links = JSON.parse(await run(['ip', '-j', '-4', 'addr', 'show'])) as AddrJson[];
  for (const link of links) {
    if (iface !== undefined && link.ifname !== iface) continue;
    for (const a of link.addr_info ?? []) {
      if (iface === undefined && a.local !== address) continue;
      if (a.local === undefined || a.prefixlen === undefined || link.ifname === undefined) continue;
      return {
        name: link.ifname,
        cidr: `${a.local}/${a.prefixlen}`,
        address: a.local,
        mtu: link.mtu ?? 1500,
      };
    }
  }
  return undefined;
}
