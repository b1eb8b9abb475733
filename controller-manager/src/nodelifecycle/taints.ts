// The taints node lifecycle keeps on a node (Kubernetes' TaintNodesByCondition and the
// NoExecute tainting pass), computed from the node's conditions: what the node should carry
// of the taints this controller owns; every other taint is left as it is.
import {
  toleratesTaint,
  type Node,
  type NodeCondition,
  type Taint,
  type Toleration,
} from '@skiff/api';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** condition type → [status that taints, taint key], for the NoSchedule taints. */
const noScheduleByCondition: readonly [string, NodeCondition['status'], string][] = [
  ['Ready', 'False', TAINT_NOT_READY],
  ['Ready', 'Unknown', TAINT_UNREACHABLE],
  ['MemoryPressure', 'True', 'node.kubernetes.io/memory-pressure'],
  ['DiskPressure', 'True', 'node.kubernetes.io/disk-pressure'],
  ['PIDPressure', 'True', 'node.kubernetes.io/pid-pressure'],
  ['NetworkUnavailable', 'True', 'node.kubernetes.io/network-unavailable'],
];
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const ownedKeys = new Set([...noScheduleByCondition.map(([, , key]) => key), UNSCHEDULABLE]);

export function condition(node: Readonly<Node>, type: string): Readonly<NodeCondition> | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

/** The NoSchedule taints the node's conditions (and spec.unschedulable) call for. */
export function noScheduleTaints(node: Readonly<Node>): string[] {
  const keys = noScheduleByCondition
    .filter(([type, status]) => condition(node, type)?.status === status)
    .map(([, , key]) => key);
  if (node.spec?.unschedulable) keys.push(UNSCHEDULABLE);
  return keys;
}

/** The NoExecute taint a node's Ready condition calls for, if any. */
export function noExecuteTaint(node: Readonly<Node>): string | undefined {
  const ready = condition(node, 'Ready')?.status;
  if (ready === 'False') return TAINT_NOT_READY;
  if (ready === 'Unknown') return TAINT_UNREACHABLE;
  return undefined;
}

/**
 * The node's taints with this controller's set to exactly `noSchedule` and `noExecute`;
 * taints already present keep their timeAdded (eviction deadlines count from it).
 */
export function withOwnedTaints(
  taints: readonly Taint[],
  noSchedule: readonly string[],
  noExecute: string | undefined,
  now: string,
): Taint[] {
  const wanted: Taint[] = [
    ...noSchedule.map((key): Taint => ({ key, effect: 'NoSchedule' })),
    ...(noExecute ? [{ key: noExecute, effect: 'NoExecute' as const }] : []),
  ];
  const kept = taints.filter(
    (t) =>
      !(ownedKeys.has(t.key) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute')) ||
      wanted.some((w) => w.key === t.key && w.effect === t.effect),
  );
  for (const w of wanted) {
    if (!kept.some((t) => t.key === w.key && t.effect === w.effect)) {
      kept.push(w.effect === 'NoExecute' ? { ...w, timeAdded: now } : w);
    }
  }
  return kept;
}

/**
 * When a pod on a node with these NoExecute taints must go (Kubernetes' taint eviction):
 * `now` if some taint is not tolerated, at the earliest tolerationSeconds after its taint was
 * added if all are tolerated for a while, never if all are tolerated forever. Milliseconds.
 */
export function evictionTime(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  now: number,
): number | 'never' {
  let at: number | 'never' = 'never';
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return now;
    // A taint tolerated by several tolerations lasts as long as the shortest of them.
    const bounded = matching
      .map((t) => t.tolerationSeconds)
      .filter((s): s is number => s !== undefined);
    if (bounded.length === 0) continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const deadline = added + Math.max(0, Math.min(...bounded)) * 1000;
    at = at === 'never' ? deadline : Math.min(at, deadline);
  }
  return at;
}
