// Whether a pod's tolerations cover a node's taint — core/v1's Toleration.ToleratesTaint, which
// the scheduler (TaintToleration), node lifecycle (NoExecute eviction) and the kubelet all read
// the same way: the effects must match unless the toleration names none; an empty key with
// Exists tolerates every taint; Exists ignores the value, Equal (the default) needs it equal;
// any other operator tolerates nothing.
import type { Taint, Toleration } from '../types/index.js';

export function toleratesTaint(toleration: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** Whether any of `tolerations` covers `taint`. */
export function taintTolerated(
  taint: Readonly<Taint>,
  tolerations: readonly Toleration[] | undefined,
): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}
