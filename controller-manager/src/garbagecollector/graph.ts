// The ownerReference graph (Kubernetes' GraphBuilder's uidToNode): one node per object the
// informers have shown, keyed by uid, with its owners as written and the uids of the objects
// that name it as an owner. Owners need not be in the graph (a dependent may name an owner the
// informers have not shown, or that never existed): the dependents index is kept per owner uid.
// Applying a change answers which keys the two queues need, as Kubernetes' processGraphChanges
// does; nothing here is needed for correctness after a restart, since the informers' initial
// lists rebuild it and every decision is re-checked against the apiserver.
import type { OwnerReference } from '@skiff/api';
import type { GroupVersionResource, KubeObject } from '@skiff/client';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Which object a node is, and where to read and write it. */
export interface ObjectIdentity {
  readonly resource: GroupVersionResource;
  readonly apiVersion: string;
  readonly kind: string;
  /** '' for a cluster-scoped object. */
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface GraphNode {
  readonly identity: ObjectIdentity;
  readonly owners: readonly OwnerReference[];
  /** deletionTimestamp is set. */
  readonly beingDeleted: boolean;
  /** Being deleted in the foreground: waits for its blocking dependents. */
  readonly deletingDependents: boolean;
  /** Being deleted with the orphan finalizer: its dependents are to be released. */
  readonly orphaning: boolean;
}

/** Keys (uids) for the attemptToDelete and attemptToOrphan queues. */
export interface GraphWork {
  readonly attemptToDelete: string[];
  readonly attemptToOrphan: string[];
}

export function nodeOf(
  obj: Readonly<KubeObject>,
  resource: GroupVersionResource,
  kind: string,
): GraphNode {
  const meta = obj.metadata ?? {};
  const finalizers = meta.finalizers ?? [];
  const beingDeleted = meta.deletionTimestamp !== undefined;
  return {
    identity: {
      resource,
      apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
      kind,
      namespace: meta.namespace ?? '',
      name: meta.name ?? '',
      uid: meta.uid ?? '',
    },
    owners: meta.ownerReferences ?? [],
    beingDeleted,
    deletingDependents: beingDeleted && finalizers.includes(FOREGROUND_FINALIZER),
    orphaning: beingDeleted && finalizers.includes(ORPHAN_FINALIZER),
  };
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  /** Owner uid → the uids of the nodes naming it. */
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The nodes naming `uid` as an owner. */
  dependents(uid: string): GraphNode[] {
    return [...(this.dependentsByOwner.get(uid) ?? [])].flatMap((d) => {
      const node = this.nodes.get(d);
      return node ? [node] : [];
    });
  }

  /** The dependents whose reference to `uid` blocks its foreground deletion. */
  blockingDependents(uid: string): GraphNode[] {
    return this.dependents(uid).filter((d) =>
      d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion === true),
    );
  }

  /** An object added or updated. */
  upsert(node: GraphNode): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const uid = node.identity.uid;
    const old = this.nodes.get(uid);
    this.nodes.set(uid, node);
    const diff = referenceDiff(old?.owners ?? [], node.owners);
    for (const ref of diff.added) this.index(ref.uid).add(uid);
    for (const ref of diff.removed) this.unindex(ref.uid, uid);
    // An owner waiting for its dependents may be free now: a reference to it went or stopped
    // blocking.
    for (const ref of [...diff.removed, ...diff.changed]) {
      if (this.nodes.get(ref.uid)?.deletingDependents) work.attemptToDelete.push(ref.uid);
    }
    // An owner the graph has not seen may be gone (or never existed): check against the
    // apiserver. Kubernetes makes a virtual node for it; checking the dependent is the same test.
    if (diff.added.some((ref) => !this.nodes.has(ref.uid))) work.attemptToDelete.push(uid);
    if (node.orphaning) work.attemptToOrphan.push(uid);
    if (node.deletingDependents) {
      if (!old?.deletingDependents) {
        for (const dep of this.dependentsByOwner.get(uid) ?? []) work.attemptToDelete.push(dep);
      }
      work.attemptToDelete.push(uid);
    }
    return work;
  }

  /** An object the informers saw go. */
  remove(uid: string): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const node = this.nodes.get(uid);
    if (!node) return work;
    this.nodes.delete(uid);
    for (const ref of node.owners) {
      this.unindex(ref.uid, uid);
      if (this.nodes.get(ref.uid)?.deletingDependents) work.attemptToDelete.push(ref.uid);
    }
    // Its dependents have lost an owner: each decides whether it goes too.
    work.attemptToDelete.push(...(this.dependentsByOwner.get(uid) ?? []));
    return work;
  }

  private index(owner: string): Set<string> {
    let set = this.dependentsByOwner.get(owner);
    if (!set) {
      set = new Set();
      this.dependentsByOwner.set(owner, set);
    }
    return set;
  }

  private unindex(owner: string, dependent: string): void {
    const set = this.dependentsByOwner.get(owner);
    set?.delete(dependent);
    if (set?.size === 0) this.dependentsByOwner.delete(owner);
  }
}

/** Owner references added, removed, or changed in blockOwnerDeletion (matched by uid). */
export function referenceDiff(
  before: readonly OwnerReference[],
  after: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: OwnerReference[] } {
  const byUid = new Map(before.map((r) => [r.uid, r]));
  const afterUids = new Set(after.map((r) => r.uid));
  const added = after.filter((r) => !byUid.has(r.uid));
  const removed = before.filter((r) => !afterUids.has(r.uid));
  const changed = after.filter((r) => {
    const old = byUid.get(r.uid);
    return (
      old !== undefined && (old.blockOwnerDeletion ?? false) !== (r.blockOwnerDeletion ?? false)
    );
  });
  return { added, removed, changed };
}
