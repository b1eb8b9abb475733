// CRI's LinuxContainerResources as OCI resources. CRI's "0 means unset" becomes "field absent",
// so the OCI runtime leaves the kernel's default (unlimited) rather than writing a zero limit.
import type { LinuxContainerResources } from '@skiff/proto';
import { int64 } from './cri-values.js';
import type { OciResources } from './oci-spec.js';

export interface ResourceLimits {
  readonly cpuShares?: number;
  readonly cpuQuota?: number;
  readonly cpuPeriod?: number;
  readonly cpusetCpus?: string;
  readonly cpusetMems?: string;
  readonly memoryLimitBytes?: number;
  readonly memorySwapLimitBytes?: number;
  readonly pidsLimit?: number;
  readonly hugepageLimits?: readonly { pageSize: string; limit: number }[];
  /** Raw cgroup v2 files; only meaningful on cgroup v2 hosts. */
  readonly unified?: Readonly<Record<string, string>>;
  /** Asked for; the spec gets it raised to what this process may set (see oomScoreAdj). */
  readonly oomScoreAdj?: number;
}

/**
 * Reads CRI's message. CRI has no pids limit of its own (the kubelet limits pids at the pod level);
 * `unified["pids.max"]` is honoured on every cgroup version so a pod can still ask for one.
 */
export function limitsFromCri(
  resources: LinuxContainerResources | null | undefined,
): ResourceLimits {
  if (resources === null || resources === undefined) return {};
  const positive = (v: number): number | undefined => (v > 0 ? v : undefined);
  const unified = { ...(resources.unified ?? {}) };
  const pidsMax = unified['pids.max'];
  delete unified['pids.max'];
  const pidsLimit = pidsMax !== undefined && /^[0-9]+$/.test(pidsMax) ? Number(pidsMax) : undefined;
  const hugepages = (resources.hugepage_limits ?? [])
    .map((h) => ({ pageSize: h.page_size ?? '', limit: int64(h.limit) }))
    .filter((h) => h.pageSize !== '');
  const oom = int64(resources.oom_score_adj);
  return dropUndefined({
    cpuShares: positive(int64(resources.cpu_shares)),
    cpuQuota: positive(int64(resources.cpu_quota)),
    cpuPeriod: positive(int64(resources.cpu_period)),
    cpusetCpus: resources.cpuset_cpus || undefined,
    cpusetMems: resources.cpuset_mems || undefined,
    memoryLimitBytes: positive(int64(resources.memory_limit_in_bytes)),
    memorySwapLimitBytes: positive(int64(resources.memory_swap_limit_in_bytes)),
    pidsLimit: pidsLimit !== undefined && pidsLimit > 0 ? pidsLimit : undefined,
    hugepageLimits: hugepages.length > 0 ? hugepages : undefined,
    unified: Object.keys(unified).length > 0 ? unified : undefined,
    oomScoreAdj: oom !== 0 ? oom : undefined,
  });
}

/** The OCI resources for `limits`; `privileged` opens every device. */
export function ociResources(limits: ResourceLimits, privileged: boolean): OciResources {
  const resources: OciResources = {
    // Deny everything, then the OCI runtime allows the default devices it creates in /dev.
    devices: [privileged ? { allow: true, access: 'rwm' } : { allow: false, access: 'rwm' }],
  };
  const cpu = dropUndefined({
    shares: limits.cpuShares,
    quota: limits.cpuQuota,
    period: limits.cpuPeriod,
    cpus: limits.cpusetCpus,
    mems: limits.cpusetMems,
  });
  if (Object.keys(cpu).length > 0) resources.cpu = cpu;
  const memory = dropUndefined({
    limit: limits.memoryLimitBytes,
    swap: limits.memorySwapLimitBytes,
  });
  if (Object.keys(memory).length > 0) resources.memory = memory;
  if (limits.pidsLimit !== undefined) resources.pids = { limit: limits.pidsLimit };
  if (limits.hugepageLimits !== undefined) resources.hugepageLimits = [...limits.hugepageLimits];
  if (limits.unified !== undefined) resources.unified = { ...limits.unified };
  return resources;
}

/**
 * The oom_score_adj to put in the spec. Lowering one's own oom_score_adj needs CAP_SYS_RESOURCE,
 * which some hosts (these VMs, unprivileged LXC) withhold even from root; the OCI runtime would
 * then fail the whole container. Like containerd's restrict_oom_score_adj, never ask for less
 * than this process has.
 */
export function allowedOomScoreAdj(requested: number | undefined, own: number): number | undefined {
  if (requested === undefined) return undefined;
  return Math.min(1000, Math.max(requested, own));
}

function dropUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
