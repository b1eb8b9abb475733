// Container resources → CRI LinuxContainerResources (Kubernetes' generateLinuxContainerResources):
// the cpu request becomes cgroup cpu shares (1 core = 1024, at least 2), the cpu limit a CFS quota
// per 100 ms period (at least 1 ms), the memory limit a hard limit, plus the OOM score of the
// pod's QoS class.
import { ResourceQuantity, type Container } from '@skiff/api';
import type { LinuxContainerResources } from '@skiff/proto';
import { containerOomScoreAdj, type QOSClass } from '../qos/index.js';

export const MIN_SHARES = 2;
export const SHARES_PER_CPU = 1024;
export const QUOTA_PERIOD_US = 100_000;
export const MIN_QUOTA_US = 1000;

function milli(value: string | undefined): number {
  return value === undefined ? 0 : ResourceQuantity.parse(value).milliValue();
}

export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  return Math.max(MIN_SHARES, Math.trunc((milliCPU * SHARES_PER_CPU) / 1000));
}

export function milliCPUToQuota(milliCPU: number, periodUs = QUOTA_PERIOD_US): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA_US, Math.trunc((milliCPU * periodUs) / 1000));
}

export function linuxContainerResources(
  container: Readonly<Container>,
  qos: QOSClass,
  nodeMemoryCapacityBytes: number,
): LinuxContainerResources {
  const { requests, limits } = container.resources ?? {};
  const cpuLimit = milli(limits?.cpu);
  // An unset request is the limit (the API defaults it so; be safe for pods that skipped it).
  const cpuRequest = requests?.cpu !== undefined ? milli(requests.cpu) : cpuLimit;
  const memoryLimit =
    limits?.memory === undefined ? 0 : ResourceQuantity.parse(limits.memory).value();
  return {
    cpu_shares: milliCPUToShares(cpuRequest),
    ...(cpuLimit > 0 && { cpu_period: QUOTA_PERIOD_US, cpu_quota: milliCPUToQuota(cpuLimit) }),
    ...(memoryLimit > 0 && { memory_limit_in_bytes: memoryLimit }),
    oom_score_adj: containerOomScoreAdj(qos, container, nodeMemoryCapacityBytes),
  };
}
