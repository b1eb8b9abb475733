// The two ranges services allocate from: cluster IPs from the service CIDR and node ports from
// 30000–32767 (Kubernetes' defaults).
import type { Clock } from '@skiff/api';
import type { Storage } from '../storage/index.js';
import { formatIpv4, parseIpv4, parseIpv4Cidr } from './ipv4-cidr.js';
import { type AllocationRange, StorageAllocator } from './storage-allocator.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 };

/** The network and broadcast addresses are never handed out; the first host address belongs
 * to the `kubernetes` service, so dynamic allocation skips it too. */
export function serviceIpRange(cidrText: string): AllocationRange {
  const cidr = parseIpv4Cidr(cidrText);
  return {
    first: 1,
    last: cidr.size - 2,
    reserved: new Set([1]),
    valueAt: (offset) => formatIpv4(cidr.base + offset),
    offsetOf: (value) => {
      const ip = parseIpv4(value);
      return ip === undefined || ip < cidr.base || ip >= cidr.base + cidr.size
        ? undefined
        : ip - cidr.base;
    },
    description: cidr.text,
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
