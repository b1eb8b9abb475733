// The two ranges services allocate from: cluster IPs from the service CIDR and node ports from
// 30000–32767 (Kubernetes' defaults).
import {
  type Clock,
  formatIpv4,
  formatIpv4Cidr,
  type Ipv4Cidr,
  parseIpv4,
  parseIpv4Cidr,
} from '@skiff/api';
import type { Storage } from '../storage/index.js';
import { type AllocationRange, StorageAllocator } from './storage-allocator.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 };

/**
 * `--service-cluster-ip-range`: an IPv4 block with room for at least two services (so at most a
 * /30); host bits are cleared, as kube-apiserver reads 10.96.3.7/16 as 10.96.0.0/16.
 */
export function parseServiceCidr(text: string): Ipv4Cidr {
  const cidr = parseIpv4Cidr(text);
  if (cidr === undefined || cidr.prefixLength > 30) {
    throw new Error(
      `invalid service CIDR ${JSON.stringify(text)}: want an IPv4 CIDR such as 10.96.0.0/12 (at most /30)`,
    );
  }
  return cidr;
}

/** The network and broadcast addresses are never handed out; the first host address belongs
 * to the `kubernetes` service, so dynamic allocation skips it too. */
export function serviceIpRange(cidrText: string): AllocationRange {
  const cidr = parseServiceCidr(cidrText);
  return {
    first: 1,
    last: cidr.size - 2,
    reserved: new Set([1]),
    valueAt: (offset) => formatIpv4(cidr.network + offset),
    offsetOf: (value) => {
      const ip = parseIpv4(value);
      return ip === undefined || ip < cidr.network || ip > cidr.broadcast
        ? undefined
        : ip - cidr.network;
    },
    description: formatIpv4Cidr(cidr),
  };
}

/** The `kubernetes` service's address: the first host address of the range. */
export function kubernetesServiceIp(cidrText: string): string {
  return serviceIpRange(cidrText).valueAt(1);
}

export function nodePortRange(min: number, max: number): AllocationRange {
  return {
    first: min,
    last: max,
    reserved: new Set(),
    valueAt: (offset) => String(offset),
    offsetOf: (value) => (/^\d+$/.test(value) ? Number(value) : undefined),
    description: `${min}-${max}`,
  };
}

export interface ServiceAllocators {
  readonly clusterIps: StorageAllocator;
  readonly nodePorts: StorageAllocator;
}

export function serviceAllocators(
  storage: Storage,
  clock: Clock,
  options: { serviceCidr: string; nodePorts: { min: number; max: number } },
): ServiceAllocators {
  return {
    clusterIps: new StorageAllocator(
      storage,
      'serviceipallocations/',
      serviceIpRange(options.serviceCidr),
      clock,
    ),
    nodePorts: new StorageAllocator(
      storage,
      'servicenodeportallocations/',
      nodePortRange(options.nodePorts.min, options.nodePorts.max),
      clock,
    ),
  };
}
