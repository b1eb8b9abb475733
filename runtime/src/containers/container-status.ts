// Records as CRI reports them. The shapes are proto-loader's decoded (__Output) ones: every field
// present, int64 as decimal strings, enums by name; the CRI layer sends them as they are.
import type {
  ContainerState__Output,
  ContainerStatus__Output,
  Container__Output,
  LinuxContainerResources__Output,
} from '@skiff/proto';
import type { ResourceLimits } from '../linux/index.js';
import type { ContainerPhase, ContainerRecord } from './container-record.js';

export function criState(phase: ContainerPhase): ContainerState__Output {
  switch (phase) {
    case 'created':
      return 'CONTAINER_CREATED';
    case 'running':
      return 'CONTAINER_RUNNING';
    case 'exited':
      return 'CONTAINER_EXITED';
  }
}

export function containerStatus(record: ContainerRecord): ContainerStatus__Output {
  return {
    id: record.id,
    metadata: { name: record.name, attempt: record.attempt },
    state: criState(record.phase),
    created_at: record.createdAtNs,
    started_at: record.startedAtNs ?? '0',
    finished_at: record.finishedAtNs ?? '0',
    exit_code: record.exitCode ?? 0,
    image: imageSpec(record),
    image_ref: record.imageRef,
    reason: record.reason ?? '',
    message: record.message ?? '',
    labels: { ...record.labels },
    annotations: { ...record.annotations },
    mounts: record.mounts.map((m) => ({ ...m })),
    log_path: record.logPath,
    resources: { linux: criResources(record.limits), windows: null },
    image_id: record.imageId,
    user: {
      linux: {
        uid: String(record.user.uid),
        gid: String(record.user.gid),
        supplemental_groups: record.user.additionalGids.map(String),
      },
    },
  };
}

export function containerSummary(record: ContainerRecord): Container__Output {
  return {
    id: record.id,
    pod_sandbox_id: record.sandboxId,
    metadata: { name: record.name, attempt: record.attempt },
    image: imageSpec(record),
    image_ref: record.imageRef,
    state: criState(record.phase),
    created_at: record.createdAtNs,
    labels: { ...record.labels },
    annotations: { ...record.annotations },
    image_id: record.imageId,
  };
}

function imageSpec(record: ContainerRecord): Container__Output['image'] {
  return {
    image: record.image,
    annotations: {},
    user_specified_image: record.userSpecifiedImage,
    runtime_handler: '',
  };
}

export function criResources(limits: ResourceLimits): LinuxContainerResources__Output {
  return {
    cpu_period: String(limits.cpuPeriod ?? 0),
    cpu_quota: String(limits.cpuQuota ?? 0),
    cpu_shares: String(limits.cpuShares ?? 0),
    memory_limit_in_bytes: String(limits.memoryLimitBytes ?? 0),
    oom_score_adj: String(limits.oomScoreAdj ?? 0),
    cpuset_cpus: limits.cpusetCpus ?? '',
    cpuset_mems: limits.cpusetMems ?? '',
    hugepage_limits: (limits.hugepageLimits ?? []).map((h) => ({
      page_size: h.pageSize,
      limit: String(h.limit),
    })),
    unified: {
      ...(limits.unified ?? {}),
      ...(limits.pidsLimit !== undefined && { 'pids.max': String(limits.pidsLimit) }),
    },
    memory_swap_limit_in_bytes: String(limits.memorySwapLimitBytes ?? 0),
  };
}
