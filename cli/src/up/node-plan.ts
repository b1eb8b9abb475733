// The nodes `skiff up --nodes n` runs on this one machine: the first is named after the host,
// the others `<host>-2` … `<host>-n`. Each has its own runtime, and so its own bridge and its own
// slice of pod addresses (the n-th block of the first one's size), so their pods never collide.
import { formatIpv4, requireIpv4 } from '@skiff/api';
import type { NodeLayout, StateLayout } from './state-dir.js';

export interface PlannedNode {
  readonly layout: NodeLayout;
  readonly bridge: string;
  readonly podCidr: string;
}

/** The `index`-th block after `cidr` of the same size: 10.88.0.0/16, 1 → 10.89.0.0/16. */
export function nthCidr(cidr: string, index: number): string {
  const m = /^([\d.]+)\/(\d+)$/.exec(cidr);
  const prefix = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new Error(`--pod-cidr ${JSON.stringify(cidr)}: want an IPv4 CIDR from /8 to /30`);
  }
  const size = 2 ** (32 - prefix);
  const base = Math.floor(requireIpv4(m[1]) / size) * size + index * size;
  if (base + size > 2 ** 32) throw new Error(`--pod-cidr ${cidr}: no room for ${index + 1} nodes`);
  return `${formatIpv4(base)}/${prefix}`;
}

export function planNodes(options: {
  readonly layout: StateLayout;
  readonly hostname: string;
  readonly count: number;
  readonly bridge: string;
  readonly podCidr: string;
}): PlannedNode[] {
  return Array.from({ length: options.count }, (_, i) => ({
    layout: options.layout.node(i === 0 ? options.hostname : `${options.hostname}-${i + 1}`),
    // Linux caps interface names at 15 bytes.
    bridge: i === 0 ? options.bridge : `${options.bridge.slice(0, 12)}_${i + 1}`,
    podCidr: nthCidr(options.podCidr, i),
  }));
}
