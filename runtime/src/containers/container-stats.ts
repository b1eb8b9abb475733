// CRI ContainerStats from a cgroup's counters. CPU usage in nano-cores is a rate, so it needs the
// previous sample of the same container: the first call reports only the cumulative counter.
import type { ContainerStats__Output, UInt64Value__Output } from '@skiff/proto';
import type { CgroupStats } from '../linux/index.js';
import type { ContainerRecord } from './container-record.js';

export interface CpuSample {
  readonly atNs: bigint;
  readonly usageNs: number;
}

/**
 * An exited container's stats: who it is, no usage. As containerd lists them: the container
 * still exists (so no NotFound), but nothing runs to measure, and a dead cgroup's last counters
 * are not current usage.
 */
export function exitedContainerStats(record: ContainerRecord): ContainerStats__Output {
  return {
    attributes: attributesOf(record),
    cpu: null,
    memory: null,
    writable_layer: null,
    swap: null,
  };
}

function attributesOf(record: ContainerRecord): ContainerStats__Output['attributes'] {
  return {
    id: record.id,
    metadata: { name: record.name, attempt: record.attempt },
    labels: { ...record.labels },
    annotations: { ...record.annotations },
  };
}

export function containerStats(
  record: ContainerRecord,
  counters: CgroupStats,
  nowNs: bigint,
  previous: CpuSample | undefined,
): { stats: ContainerStats__Output; sample: CpuSample | undefined } {
  const { cpu, memory, sample } = cgroupUsage(
    counters,
    nowNs,
    record.limits.memoryLimitBytes,
    previous,
  );
  return {
    stats: { attributes: attributesOf(record), cpu, memory, writable_layer: null, swap: null },
    sample,
  };
}

/** CPU and memory usage in CRI's shape from a cgroup's counters (a container's or a pod's). */
export function cgroupUsage(
  counters: CgroupStats,
  nowNs: bigint,
  memoryLimitBytes: number | undefined,
  previous: CpuSample | undefined,
): {
  cpu: NonNullable<ContainerStats__Output['cpu']>;
  memory: NonNullable<ContainerStats__Output['memory']>;
  sample: CpuSample | undefined;
} {
  const timestamp = nowNs.toString();
  const usage = counters.cpuUsageNs;
  let nanoCores: number | undefined;
  if (usage !== undefined && previous !== undefined && nowNs > previous.atNs) {
    const elapsedNs = Number(nowNs - previous.atNs);
    nanoCores = Math.max(0, Math.round(((usage - previous.usageNs) * 1e9) / elapsedNs));
  }
  const workingSet = counters.memoryWorkingSetBytes;
  return {
    cpu: {
      timestamp,
      usage_core_nano_seconds: value(usage),
      usage_nano_cores: value(nanoCores),
    },
    memory: {
      timestamp,
      working_set_bytes: value(workingSet),
      available_bytes: value(
        memoryLimitBytes !== undefined && workingSet !== undefined
          ? Math.max(0, memoryLimitBytes - workingSet)
          : undefined,
      ),
      usage_bytes: value(counters.memoryUsageBytes),
      rss_bytes: value(counters.memoryRssBytes),
      page_faults: value(counters.pageFaults),
      major_page_faults: value(counters.majorPageFaults),
    },
    sample: usage === undefined ? undefined : { atNs: nowNs, usageNs: usage },
  };
}

export function value(n: number | undefined): UInt64Value__Output | null {
  return n === undefined ? null : { value: String(n) };
}
