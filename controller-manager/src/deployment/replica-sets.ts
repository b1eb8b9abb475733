// Questions about a Deployment's ReplicaSets (Kubernetes' deploymentutil and controller_utils):
// which one runs the current template, which are old, which are active, and their counts. Pure
// functions over cached objects; none of them writes.
import type { Deployment, ReplicaSet } from '@skiff/api';
import { desiredReplicasAnnotation, revisionOf } from './annotations.js';
import { desiredReplicas } from './fenceposts.js';
import { equalIgnoreHash } from './hash.js';

type RS = Readonly<ReplicaSet>;

export const specReplicas = (rs: RS): number => rs.spec.replicas ?? 1;

function creationTime(rs: RS): number {
  const at = Date.parse(rs.metadata.creationTimestamp ?? '');
  return Number.isNaN(at) ? 0 : at;
}

/** Oldest first; equal timestamps by name (ReplicaSetsByCreationTimestamp). */
export function byCreationTimestamp(a: RS, b: RS): number {
  return (
    creationTime(a) - creationTime(b) ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

/** Lowest revision first; equal revisions by creation time (ReplicaSetsByRevision). */
export function byRevision(a: RS, b: RS): number {
  return revisionOf(a) - revisionOf(b) || byCreationTimestamp(a, b);
}

/** Largest first; equal sizes newest first (ReplicaSetsBySizeNewer), for scaling up. */
export function bySizeNewer(a: RS, b: RS): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);
}

/** Largest first; equal sizes oldest first (ReplicaSetsBySizeOlder), for scaling down. */
export function bySizeOlder(a: RS, b: RS): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** The oldest ReplicaSet whose template is the Deployment's (hash label aside). */
export function findNewReplicaSet(d: Readonly<Deployment>, rsList: readonly RS[]): RS | undefined {
  return [...rsList]
    .sort(byCreationTimestamp)
    .find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Readonly<Deployment>, rsList: readonly RS[]): RS[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

export function filterActive(rsList: readonly (RS | undefined)[]): RS[] {
  return rsList.filter((rs): rs is RS => rs !== undefined && specReplicas(rs) > 0);
}

const sum = (rsList: readonly (RS | undefined)[], of: (rs: RS) => number): number =>
  rsList.reduce((total, rs) => total + (rs ? of(rs) : 0), 0);

/** Pods asked for (spec.replicas). */
export const replicaCount = (rsList: readonly (RS | undefined)[]): number =>
  sum(rsList, specReplicas);
/**
 * Pods there may be: what each ReplicaSet asks for or, while one is scaling down, the pods its
 * status still counts — a pod being removed is counted until its ReplicaSet has seen it go.
 */
export const podCountUpperBound = (rsList: readonly (RS | undefined)[]): number =>
  sum(rsList, (rs) => Math.max(specReplicas(rs), rs.status?.replicas ?? 0));
/** Pods that exist (status.replicas). */
export const actualReplicaCount = (rsList: readonly (RS | undefined)[]): number =>
  sum(rsList, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (rsList: readonly (RS | undefined)[]): number =>
  sum(rsList, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (rsList: readonly (RS | undefined)[]): number =>
  sum(rsList, (rs) => rs.status?.availableReplicas ?? 0);
/**
 * Available pods that will stay: a ReplicaSet asked to shrink keeps at most spec.replicas of
 * them, whatever its status (written before the deletions) still counts.
 */
export const availableReplicasStaying = (rsList: readonly (RS | undefined)[]): number =>
  sum(rsList, (rs) => Math.min(specReplicas(rs), rs.status?.availableReplicas ?? 0));

/**
 * The one ReplicaSet a plain scale applies to: the only active one, or with none active the
 * newest; undefined when several are active (then scaling is proportional).
 */
export function findActiveOrLatest(newRS: RS | undefined, oldRSs: readonly RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet has all the Deployment's pods, scaled for this size, all available. */
export function isSaturated(d: Readonly<Deployment>, rs: RS | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicas(d);
  return (
    specReplicas(rs) === desired &&
    desiredReplicasAnnotation(rs) === desired &&
    (rs.status?.availableReplicas ?? 0) === desired
  );
}
