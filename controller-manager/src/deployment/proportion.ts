// Proportional scaling (Kubernetes' DeploymentController.scale for a rolling update): when a
// Deployment is resized while several ReplicaSets are active (mid-rollout, or paused), the pods
// added or removed are shared among them by their size relative to the size they were last
// scaled for (the max-replicas annotation), larger ReplicaSets first, and what rounding leaves
// over goes to the largest one.
import type { Deployment, ReplicaSet } from '@skiff/api';
import { maxReplicasAnnotation } from './annotations.js';
import { desiredReplicas, maxSurge } from './fenceposts.js';
import { bySizeNewer, bySizeOlder, replicaCount, specReplicas } from './replica-sets.js';

type RS = Readonly<ReplicaSet>;

export type ScalingOperation = 'up' | 'down' | '';

export interface ProportionalScale {
  readonly operation: ScalingOperation;
  /** Every active ReplicaSet in the order to scale it, with its new size. */
  readonly sizes: readonly { readonly rs: RS; readonly size: number }[];
}

/** Go's math.Round: halves away from zero. */
const roundHalfAwayFromZero = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** How many replicas `rs` should gain (or lose, negative) at the Deployment's new size. */
export function replicaSetFraction(rs: RS, d: Readonly<Deployment>): number {
  const desired = desiredReplicas(d);
  // Scaling to zero: each ReplicaSet loses all it has.
  if (desired === 0) return -specReplicas(rs);
  const maxReplicas = desired + maxSurge(d);
  // Without the annotation (the ReplicaSet was scaled by hand) the best guess is the
  // Deployment's current size; the caller's bounds keep the total right regardless.
  const before = maxReplicasAnnotation(rs) || (d.status?.replicas ?? 0);
  if (before === 0) return 0;
  return roundHalfAwayFromZero((specReplicas(rs) * maxReplicas) / before) - specReplicas(rs);
}

/** The share of `toAdd` (of which `added` is handed out already) that goes to `rs`. */
export function replicaSetProportion(
  rs: RS,
  d: Readonly<Deployment>,
  toAdd: number,
  added: number,
): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  // Never hand out more than is left, in either direction.
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

export function proportionalScale(
  d: Readonly<Deployment>,
  activeRSs: readonly RS[],
): ProportionalScale {
  const desired = desiredReplicas(d);
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(activeRSs);
  // Same-size ties: scale newer ones up first and older ones down first.
  const ordered = [...activeRSs];
  let operation: ScalingOperation = '';
  if (toAdd > 0) {
    ordered.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    ordered.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = ordered.map((rs) => {
    const proportion = replicaSetProportion(rs, d, toAdd, added);
    added += proportion;
    return { rs, size: specReplicas(rs) + proportion };
  });
  const first = sizes[0];
  if (first && toAdd !== 0) {
    // The rounding leftovers go to the largest ReplicaSet.
    sizes[0] = { rs: first.rs, size: Math.max(0, first.size + toAdd - added) };
  }
  return { operation, sizes };
}
