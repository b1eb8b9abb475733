// How many pods a rolling update may add above, or take below, the desired count (Kubernetes'
// intstr.GetScaledValueFromIntOrPercent and deploymentutil.ResolveFenceposts): maxSurge rounds a
// percentage up, maxUnavailable rounds it down, and when both come to 0 maxUnavailable becomes 1,
// since validation refuses two explicit zeros and only rounding can get there.
import type { Deployment, IntOrString } from '@skiff/api';

/** `value` as a count of `total`: an int as is, `"N%"` scaled and rounded up or down. */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const match = /^(-?\d+)%$/.exec(value);
  if (!match) {
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export interface Fenceposts {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): Fenceposts {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  const unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  // Surge may be impossible (a quota), so the rollout must still be able to make room.
  if (surge === 0 && unavailable === 0) return { maxSurge: 0, maxUnavailable: 1 };
  return { maxSurge: surge, maxUnavailable: unavailable };
}

export function desiredReplicas(d: Readonly<Deployment>): number {
  return d.spec.replicas ?? 1;
}

export function isRollingUpdate(d: Readonly<Deployment>): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: Readonly<Deployment>): Fenceposts {
  const rollingUpdate = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(
    rollingUpdate?.maxSurge,
    rollingUpdate?.maxUnavailable,
    desiredReplicas(d),
  );
}

/** Pods allowed above the desired count; 0 for Recreate. */
export function maxSurge(d: Readonly<Deployment>): number {
  return isRollingUpdate(d) ? fenceposts(d).maxSurge : 0;
}

/** Pods allowed to be unavailable, never more than desired; 0 for Recreate and for 0 replicas. */
export function maxUnavailable(d: Readonly<Deployment>): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).maxUnavailable, desired);
}
