// Which pods the pod garbage collector removes (Kubernetes' pkg/controller/podgc), as pure
// decisions over the cache:
//   - terminated pods (Succeeded/Failed) beyond --terminated-pod-gc-threshold, oldest first;
//   - pods bound to a node that no longer exists (orphaned: their kubelet will never finish them);
//   - pods being deleted that were never scheduled (no kubelet will ever confirm the deletion).
import type { Pod } from '@skiff/api';

/** The terminated pods to delete so at most `threshold` remain; 0 turns this off. */
export function terminatedPodsOverThreshold(
  pods: readonly Readonly<Pod>[],
  threshold: number,
): Readonly<Pod>[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter((p) => {
    const phase = p.status?.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  });
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  return [...terminated].sort(byCreation).slice(0, excess);
}

/** Pods bound to a node in `goneNodes`. */
export function podsOnGoneNodes(
  pods: readonly Readonly<Pod>[],
  goneNodes: ReadonlySet<string>,
): Readonly<Pod>[] {
  return pods.filter((p) => p.spec.nodeName !== undefined && goneNodes.has(p.spec.nodeName));
}

/** Node names pods are bound to that are not in `knownNodes`. */
export function missingNodes(
  pods: readonly Readonly<Pod>[],
  knownNodes: ReadonlySet<string>,
): Set<string> {
  const missing = new Set<string>();
  for (const pod of pods) {
    const node = pod.spec.nodeName;
    if (node && !knownNodes.has(node)) missing.add(node);
  }
  return missing;
}

export function unscheduledTerminatingPods(pods: readonly Readonly<Pod>[]): Readonly<Pod>[] {
  return pods.filter((p) => !p.spec.nodeName && p.metadata.deletionTimestamp !== undefined);
}

function byCreation(a: Readonly<Pod>, b: Readonly<Pod>): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const nb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return na < nb ? -1 : na > nb ? 1 : 0;
}
