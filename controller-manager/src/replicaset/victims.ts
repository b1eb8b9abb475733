// Which pods a ReplicaSet deletes when it scales down: Kubernetes' ActivePodsWithRanks order
// (controller_utils.go), so the pods that matter least go first and a scale-down disturbs the
// least work. The first of these rules that tells two pods apart decides:
//
//   1. unassigned before assigned (no node: nothing runs yet)
//   2. Pending before Unknown before Running
//   3. not ready before ready
//   4. lower `controller.kubernetes.io/pod-deletion-cost` first
//   5. doubled up first: more of the owner's pods on the same node
//   6. both ready: ready for a shorter time first (on a log2 scale, LogarithmicScaleDown)
//   7. more container restarts first
//   8. newer first (on a log2 scale too); a tie on the scale falls back to the uid
import type { Pod } from '@skiff/api';
import { isPodActive, isPodReady, maxContainerRestarts, podReadySince } from '../podutil/pod.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrdinal: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

interface RankedPod {
  readonly pod: Readonly<Pod>;
  /** How many related active pods share this pod's node (0 when unassigned). */
  readonly rank: number;
}

/**
 * The `count` pods of `pods` to delete first. `related` are the pods whose placement counts as
 * "doubled up" (the owner's own active pods, as Kubernetes ranks them); `now` sets the scale of
 * the log2 age comparisons.
 */
export function podsToDelete(
  pods: readonly Readonly<Pod>[],
  related: readonly Readonly<Pod>[],
  count: number,
  now: number,
): Readonly<Pod>[] {
  if (count <= 0) return [];
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const pod of related) {
    const node = pod.spec.nodeName;
    if (node && isPodActive(pod)) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => ({
    pod,
    rank: pod.spec.nodeName ? (perNode.get(pod.spec.nodeName) ?? 0) : 0,
  }));
  ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const nodeA = pa.spec.nodeName ?? '';
  const nodeB = pb.spec.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;

  const phaseA = phaseOrdinal[pa.status?.phase ?? ''] ?? 0;
  const phaseB = phaseOrdinal[pb.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;

  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;

  const costA = deletionCost(pa);
  const costB = deletionCost(pb);
  if (costA !== costB) return costA < costB ? -1 : 1;

  if (a.rank !== b.rank) return b.rank - a.rank;

  if (readyA && readyB) {
    const order = newerFirst(podReadySince(pa), podReadySince(pb), pa, pb, now);
    if (order !== 0) return order;
  }

  const restartsA = maxContainerRestarts(pa);
  const restartsB = maxContainerRestarts(pb);
  if (restartsA !== restartsB) return restartsB - restartsA;

  return newerFirst(createdAt(pa), createdAt(pb), pa, pb, now);
}

/**
 * The annotation's value, an int32; anything else (absent, malformed) is 0, as Kubernetes reads
 * it (the apiserver refuses malformed values on create in any case).
 */
export function deletionCost(pod: Readonly<Pod>): number {
  const text = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (text === undefined || !/^-?\d+$/.test(text)) return 0;
  const cost = Number(text);
  return cost >= -(2 ** 31) && cost < 2 ** 31 ? cost : 0;
}

function createdAt(pod: Readonly<Pod>): number | undefined {
  const text = pod.metadata.creationTimestamp;
  if (!text) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Missing time first, then the later time first. Times whose ages fall in the same power of two
 * (in nanoseconds, as Kubernetes measures) count as equal and the uid decides, so a scale-down
 * spreads over pods of similar age instead of always taking the very newest.
 */
function newerFirst(
  ta: number | undefined,
  tb: number | undefined,
  pa: Readonly<Pod>,
  pb: Readonly<Pod>,
  now: number,
): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logRank(now - ta) - logRank(now - tb);
  if (diff !== 0) return diff;
  const ua = pa.metadata.uid ?? '';
  const ub = pb.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function logRank(ageMs: number): number {
  return ageMs <= 0 ? -1 : Math.floor(Math.log2(ageMs * 1e6));
}
