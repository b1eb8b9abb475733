// Kubernetes' ReplicaSetControllerRefManager.ClaimReplicaSets, as a decision: of the ReplicaSets
// in the Deployment's namespace, which does it own, which orphans matching its selector should
// it adopt, and which of its own must it release because their labels stopped matching.
import type { Deployment, ReplicaSet, Selector } from '@skiff/api';
import { controllerOf } from '@skiff/client';

type RS = Readonly<ReplicaSet>;

export interface ReplicaSetClaims {
  readonly owned: RS[];
  readonly adopt: RS[];
  readonly release: RS[];
}

export function claimReplicaSets(
  d: Readonly<Deployment>,
  selector: Selector,
  rsList: readonly RS[],
): ReplicaSetClaims {
  const claims: ReplicaSetClaims = { owned: [], adopt: [], release: [] };
  const beingDeleted = d.metadata.deletionTimestamp !== undefined;
  for (const rs of rsList) {
    const matches = selector.matches(rs.metadata.labels);
    const ref = controllerOf(rs);
    if (ref) {
      if (ref.uid !== d.metadata.uid) continue;
      if (matches) claims.owned.push(rs);
      // A Deployment on its way out keeps what it has: the garbage collector deals with it.
      else if (!beingDeleted) claims.release.push(rs);
    } else if (matches && !beingDeleted && !rs.metadata.deletionTimestamp) {
      claims.adopt.push(rs);
    }
  }
  return claims;
}
