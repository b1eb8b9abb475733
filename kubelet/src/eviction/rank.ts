// Which pod goes first (helpers.go's rank functions). Under memory pressure: pods using more
// memory than they request before those within their requests, then lower priority first, then
// the largest use above the request. So BestEffort pods (requests 0) using anything go before a
// Burstable or Guaranteed pod within its requests. Disk pressure ranks the same way by disk use
// (bytes or inodes against ephemeral-storage requests), PID pressure by priority, then process
// count. A pod with no stats at all is ranked first.
//
// What counts as a pod's disk use depends on the filesystems, as buildSignalToRankFunc says: with
// the images on the node's filesystem every signal measures the containers' writable layers, their
// logs and the pod's local volumes; with a dedicated image filesystem, nodefs measures logs and
// local volumes and imagefs the writable layers.
import { ResourceQuantity, type Container, type Pod } from '@skiff/api';
import type { Signal } from './thresholds.js';

export interface ContainerUsage {
  readonly name: string;
  readonly memoryWorkingSetBytes?: number;
  /** The writable layer ("rootfs"), when the runtime measures it. */
  readonly rootfsBytes?: number;
  readonly rootfsInodes?: number;
  /** The container's log files. */
  readonly logsBytes?: number;
  readonly logsInodes?: number;
}

export interface PodUsage {
  readonly containers: readonly ContainerUsage[];
  readonly processes?: number;
  /** The pod's local ephemeral volumes (emptyDir on disk, configMap, downwardAPI). */
  readonly volumeBytes?: number;
  readonly volumeInodes?: number;
}

/** The parts of a pod's disk use a signal counts (Kubernetes' fsStatsType). */
export type FsStatsType = 'root' | 'logs' | 'localVolumeSource';

export function fsStatsToMeasure(signal: Signal, dedicatedImageFs: boolean): FsStatsType[] {
  if (!dedicatedImageFs) return ['root', 'logs', 'localVolumeSource'];
  return signal.startsWith('imagefs.') ? ['root'] : ['logs', 'localVolumeSource'];
}

/** The pod's disk use, in bytes or inodes, over the parts `measure` names. */
export function podDiskUsage(
  usage: PodUsage,
  measure: readonly FsStatsType[],
  unit: 'bytes' | 'inodes',
): number {
  const bytes = unit === 'bytes';
  let total = 0;
  for (const c of usage.containers) {
    if (measure.includes('root')) total += (bytes ? c.rootfsBytes : c.rootfsInodes) ?? 0;
    if (measure.includes('logs')) total += (bytes ? c.logsBytes : c.logsInodes) ?? 0;
  }
  if (measure.includes('localVolumeSource')) {
    total += (bytes ? usage.volumeBytes : usage.volumeInodes) ?? 0;
  }
  return total;
}

export type PodStats = (pod: Readonly<Pod>) => PodUsage | undefined;

/** The pod's effective request (GetResourceRequestQuantity): Σ containers ∨ max init, + overhead. */
export function podRequest(pod: Readonly<Pod>, resource: string): number {
  const request = (c: Readonly<Container>): number => {
    const text = c.resources?.requests?.[resource];
    return text === undefined ? 0 : ResourceQuantity.parse(text).value();
  };
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  let total = [...pod.spec.containers, ...sidecars].reduce((sum, c) => sum + request(c), 0);
  for (const init of pod.spec.initContainers ?? []) {
    if (init.restartPolicy !== 'Always') total = Math.max(total, request(init));
  }
  const overhead = pod.spec.overhead?.[resource];
  return total + (overhead === undefined ? 0 : ResourceQuantity.parse(overhead).value());
}

export function podPriority(pod: Readonly<Pod>): number {
  return pod.spec.priority ?? 0;
}

const sum = (values: readonly (number | undefined)[]): number =>
  values.reduce<number>((a, b) => a + (b ?? 0), 0);

export const memoryUsage = (usage: PodUsage): number =>
  sum(usage.containers.map((c) => c.memoryWorkingSetBytes));

/** Negative: a goes first. */
type Compare = (a: Readonly<Pod>, b: Readonly<Pod>) => number;

/** true before false. */
const trueFirst = (a: boolean, b: boolean): number => (a === b ? 0 : a ? -1 : 1);

function withStats(
  stats: PodStats,
  compare: (a: PodUsage, b: PodUsage, pa: Readonly<Pod>, pb: Readonly<Pod>) => number,
): Compare {
  return (a, b) => {
    const sa = stats(a);
    const sb = stats(b);
    if (sa === undefined || sb === undefined) return trueFirst(sa === undefined, sb === undefined);
    return compare(sa, sb, a, b);
  };
}

const byPriority: Compare = (a, b) => podPriority(a) - podPriority(b);

function exceedsRequests(stats: PodStats, use: (u: PodUsage) => number, resource: string): Compare {
  return withStats(stats, (sa, sb, a, b) =>
    trueFirst(use(sa) > podRequest(a, resource), use(sb) > podRequest(b, resource)),
  );
}

function aboveRequests(stats: PodStats, use: (u: PodUsage) => number, resource: string): Compare {
  return withStats(
    stats,
    (sa, sb, a, b) => use(sb) - podRequest(b, resource) - (use(sa) - podRequest(a, resource)),
  );
}

function orderedBy(...compares: Compare[]): Compare {
  return (a, b) => {
    for (const compare of compares) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}

/** Above its requests first, then lower priority, then the largest use above the request. */
function byUsage(stats: PodStats, use: (u: PodUsage) => number, resource: string): Compare {
  return orderedBy(
    exceedsRequests(stats, use, resource),
    byPriority,
    aboveRequests(stats, use, resource),
  );
}

function comparatorFor(signal: Signal, stats: PodStats, dedicatedImageFs: boolean): Compare {
  const measure = fsStatsToMeasure(signal, dedicatedImageFs);
  switch (signal) {
    case 'memory.available':
      return byUsage(stats, memoryUsage, 'memory');
    case 'pid.available':
      return orderedBy(
        byPriority,
        withStats(stats, (sa, sb) => (sb.processes ?? 0) - (sa.processes ?? 0)),
      );
    case 'nodefs.inodesFree':
    case 'imagefs.inodesFree':
      return byUsage(stats, (u) => podDiskUsage(u, measure, 'inodes'), 'inodes');
    case 'nodefs.available':
    case 'imagefs.available':
      return byUsage(stats, (u) => podDiskUsage(u, measure, 'bytes'), 'ephemeral-storage');
  }
}

/**
 * The pods in eviction order for a starved signal (a new array; the input is not touched).
 * `dedicatedImageFs`: the runtime's images are on a filesystem of their own.
 */
export function rankForEviction(
  signal: Signal,
  pods: readonly Readonly<Pod>[],
  stats: PodStats,
  dedicatedImageFs = false,
): Readonly<Pod>[] {
  return [...pods].sort(comparatorFor(signal, stats, dedicatedImageFs));
}
