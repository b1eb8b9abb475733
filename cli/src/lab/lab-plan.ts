// The lab's shape, decided before anything is made (pure, so it is unit-tested): on a /24 segment
// the host takes .1, the control plane .10, node-i .10+i; node-i's pods get 10.244.i.0/24 (inside
// the --cluster-cidr 10.244.0.0/16 of docs/lab.md). Names carry the lab's id, so several labs
// (and the tests' own namespaces) live side by side on one host.
import { join } from 'node:path';
import { formatIpv4, requireIpv4 } from '@skiff/api';
import type { LabPaths, LabRecord, LabVm, Routing } from './lab-record.js';

export const MAX_NODES = 50;
const CONTROL_PLANE_HOST = 10;

export interface LabPlanOptions {
  readonly id: string;
  readonly nodes: number;
  readonly routing: Routing;
  /** An IPv4 /24 (or larger) whose addresses no route of the host uses. */
  readonly subnet: string;
  readonly paths: LabPaths;
  readonly dnsUpstream?: string;
}

export function parseSubnet(text: string): { base: number; prefixLength: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text);
  const prefixLength = Number(m?.[2]);
  if (!m?.[1] || !(prefixLength >= 16 && prefixLength <= 28)) {
    throw new Error(`--subnet ${JSON.stringify(text)}: want an IPv4 CIDR from /16 to /28`);
  }
  const size = 2 ** (32 - prefixLength);
  const base = requireIpv4(m[1]);
  if (base % size !== 0) throw new Error(`--subnet ${text}: host bits are set`);
  return { base, prefixLength };
}

export function planLab(options: LabPlanOptions): LabRecord {
  const { id, paths } = options;
  if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > MAX_NODES) {
    throw new Error(`--nodes ${options.nodes}: want 1 to ${MAX_NODES}`);
  }
  const { base, prefixLength } = parseSubnet(options.subnet);
  if (CONTROL_PLANE_HOST + options.nodes >= 2 ** (32 - prefixLength) - 1) {
    throw new Error(`--subnet ${options.subnet} has no room for ${options.nodes} nodes`);
  }
  const vm = (name: string, role: LabVm['role'], host: number, ns: string): LabVm => ({
    name,
    role,
    netns: `skl-${id}-${ns}`,
    ip: formatIpv4(base + host),
    dir: join(paths.vms, name),
  });
  const nodes = Array.from({ length: options.nodes }, (_, i) => ({
    ...vm(`node-${i + 1}`, 'node', CONTROL_PLANE_HOST + i + 1, `n${i + 1}`),
    podCIDR: `10.244.${i + 1}.0/24`,
  }));
  return {
    id,
    routing: options.routing,
    subnet: options.subnet,
    prefixLength,
    switchNetns: `skl-${id}-sw`,
    hostInterface: `skl-${id}`,
    hostIP: formatIpv4(base + 1),
    ...(options.dnsUpstream !== undefined && { dnsUpstream: options.dnsUpstream }),
    vms: [vm('control-plane', 'control-plane', CONTROL_PLANE_HOST, 'cp'), ...nodes],
    processes: [],
  };
}

/** Whether two CIDRs share an address. */
export function overlaps(a: string, b: string): boolean {
  const range = (cidr: string): [number, number] => {
    const [ip = '', bits = '32'] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = Math.floor(requireIpv4(ip) / size) * size;
    return [start, start + size - 1];
  };
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}

/**
 * The first 10.213.<k>.0/24 that none of the host's routes (`ip route` destinations, other labs'
 * segments among them) touches.
 */
export function freeSubnet(hostRoutes: readonly string[]): string {
  for (let k = 0; k < 256; k++) {
    const candidate = `10.213.${k}.0/24`;
    if (!hostRoutes.some((r) => r !== 'default' && overlaps(candidate, r))) return candidate;
  }
  throw new Error('every 10.213.x.0/24 is in use on this host: choose one with --subnet');
}
