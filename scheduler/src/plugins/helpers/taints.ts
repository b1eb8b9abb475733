// The scheduler's question about taints: the first one of some effects that the pod's
// tolerations leave uncovered. Whether one toleration covers one taint is core/v1's rule, in
// @skiff/api (toleratesTaint, taintTolerated).
import { taintTolerated, type Taint, type Toleration } from '@skiff/api';

/**
 * The effects that keep a pod off a node (NoExecute also evicts it, node lifecycle's part): one
 * array shared by every call, since Filter asks for every node it examines.
 */
export const KEEP_OFF_EFFECTS: readonly Taint['effect'][] = ['NoSchedule', 'NoExecute'];

/** The first taint with one of `effects` that no toleration covers. */
export function firstUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: readonly Taint['effect'][],
): Taint | undefined {
  // Filter asks this of every node it examines, and most nodes carry no taint: no closure, no
  // empty array for them.
  if (!taints) return undefined;
  for (const taint of taints) {
    if (effects.includes(taint.effect) && !taintTolerated(taint, tolerations)) return taint;
  }
  return undefined;
}
