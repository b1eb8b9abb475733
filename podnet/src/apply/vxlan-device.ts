// The node's one VXLAN device, laid out as flannel's `flannel.1`: VNI 1, UDP port 8472 (the
// Linux default, not IANA's 4789, as flannel), bound to the uplink, learning off (every
// forwarding entry comes from the Node objects). Its MAC is derived from the node's name so a
// restarted or recreated device keeps the address the other nodes already have in their tables.
import { createHash } from 'node:crypto';
import type { CommandRunner } from '@skiff/proxy';
import { VXLAN_DEVICE } from '../plan/plan-routes.js';

export const VXLAN_VNI = 1;
export const VXLAN_PORT = 8472;
/** VXLAN adds 50 bytes (outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8) to every frame. */
export const VXLAN_OVERHEAD = 50;

/** A locally administered unicast MAC (second-lowest bit of the first octet set, lowest clear). */
export function vxlanMacFor(nodeName: string): string {
  const bytes = createHash('sha256').update(`skiff.vxlan/${nodeName}`).digest().subarray(0, 6);
  bytes[0] = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

interface LinkJson {
  address?: string;
  mtu?: number;
  flags?: string[];
  linkinfo?: { info_kind?: string; info_data?: { id?: number; port?: number; link?: string } };
}

export interface VxlanDeviceSpec {
  readonly uplink: string;
  readonly uplinkMTU: number;
  readonly localIP: string;
  readonly mac: string;
  /** The device's own address: the network address of this node's podCIDR, as a /32. */
  readonly vtepIP: string;
}

async function showLink(run: CommandRunner, name: string): Promise<LinkJson | undefined> {
  const links = JSON.parse(await run(['ip', '-j', '-d', 'link', 'show'])) as (LinkJson & {
    ifname?: string;
  })[];
  return links.find((l) => l.ifname === name);
}

/** Creates the device, or recreates it when its VNI, port, uplink or MAC differ; returns true when it changed anything. */
export async function ensureVxlanDevice(
  run: CommandRunner,
  spec: VxlanDeviceSpec,
): Promise<boolean> {
  const existing = await showLink(run, VXLAN_DEVICE);
  const data = existing?.linkinfo?.info_data;
  const matches =
    existing !== undefined &&
    existing.linkinfo?.info_kind === 'vxlan' &&
    data?.id === VXLAN_VNI &&
    data.port === VXLAN_PORT &&
    data.link === spec.uplink &&
    existing.address === spec.mac;
  let changed = false;
  if (existing !== undefined && !matches) {
    await run(['ip', 'link', 'del', VXLAN_DEVICE]);
  }
  if (!matches) {
    await run([
      'ip',
      'link',
      'add',
      VXLAN_DEVICE,
      'address',
      spec.mac,
      'mtu',
      String(spec.uplinkMTU - VXLAN_OVERHEAD),
      'type',
      'vxlan',
      'id',
      String(VXLAN_VNI),
      'local',
      spec.localIP,
      'dstport',
      String(VXLAN_PORT),
      'dev',
      spec.uplink,
      'nolearning',
    ]);
    changed = true;
  }
  const addresses = JSON.parse(
    await run(['ip', '-j', '-4', 'addr', 'show', 'dev', VXLAN_DEVICE]),
  ) as { addr_info?: { local?: string; prefixlen?: number }[] }[];
  const current = addresses.flatMap((a) => a.addr_info ?? []);
  for (const a of current) {
    if (a.local !== spec.vtepIP || a.prefixlen !== 32)
      await run([
        'ip',
        'addr',
        'del',
        `${a.local ?? ''}/${a.prefixlen ?? 32}`,
        'dev',
        VXLAN_DEVICE,
      ]);
  }
  if (!current.some((a) => a.local === spec.vtepIP && a.prefixlen === 32)) {
    await run(['ip', 'addr', 'add', `${spec.vtepIP}/32`, 'dev', VXLAN_DEVICE]);
    changed = true;
  }
  if (changed || !(existing?.flags ?? []).includes('UP')) {
    await run(['ip', 'link', 'set', VXLAN_DEVICE, 'up']);
  }
  return changed;
}

/** host-gw after vxlan (or a clean-up): the device goes, and its routes, FDB and neighbours with it. */
export async function deleteVxlanDevice(run: CommandRunner): Promise<boolean> {
  if ((await showLink(run, VXLAN_DEVICE)) === undefined) return false;
  await run(['ip', 'link', 'del', VXLAN_DEVICE]);
  return true;
}
