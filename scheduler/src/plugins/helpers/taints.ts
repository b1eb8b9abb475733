// Whether a pod's tolerations cover a node's taint, as Kubernetes' ToleratesTaint: the effects
// must match unless the toleration names none; an empty key with Exists tolerates everything;
// Exists ignores the value, Equal (the default operator) needs it equal.
import type { Taint, Toleration } from '@skiff/api';

export function toleratesTaint(t: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerated(
  taint: Readonly<Taint>,
  tolerations: readonly Toleration[] | undefined,
): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint with one of `effects` that no toleration covers. */
export function firstUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: readonly Taint['effect'][],
): Taint | undefined {
  return (taints ?? []).find(
    (taint) => effects.includes(taint.effect) && !tolerated(taint, tolerations),
  );
}
