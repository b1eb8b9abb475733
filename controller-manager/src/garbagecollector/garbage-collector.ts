// The garbage collector's two workers (Kubernetes' attemptToDeleteItem and attemptToOrphan),
// keyed by uid. Every decision re-reads the object and each of its owners from the apiserver —
// the graph only says what to look at — so a lagging cache never deletes anything:
//   - an owner is *absent* when a GET by name answers 404 or an object with another uid;
//   - a dependent with a solid owner stays (references to absent owners are removed, and a
//     reference to an owner being deleted in the foreground stops blocking it);
//   - a dependent whose owners are all absent or being deleted in the foreground is deleted:
//     in the foreground when an owner waits for it and it has dependents of its own, otherwise
//     with the policy its own finalizers ask for (background by default);
//   - an owner with the foregroundDeletion finalizer loses it once no dependent blocks it;
//   - an owner with the orphan finalizer has its references removed from every dependent, then
//     loses the finalizer.
import { isNotFound, type OwnerReference } from '@skiff/api';
import type { Client, KubeObject, Reconciler, Request, Result } from '@skiff/client';
import { kindKey, type GCDiscovery } from './discovery.js';
import {
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  type DependencyGraph,
  type GraphNode,
  type ObjectIdentity,
} from './graph.js';

export interface GarbageCollectorOptions {
  readonly client: Pick<Client, 'resource'>;
  readonly graph: DependencyGraph;
  /** The latest discovery, to resolve an owner reference's apiVersion/kind. */
  readonly discovery: () => GCDiscovery | undefined;
  /** Reads discovery again (an owner kind it did not know may be served by now). */
  readonly refreshDiscovery: (signal: AbortSignal) => Promise<void>;
  /** Resolves once the graph holds every monitored resource's initial list. */
  readonly waitForSync: (signal: AbortSignal) => Promise<void>;
  /** Puts a uid (back) on the attemptToDelete queue. */
  readonly attemptToDelete: (uid: string) => void;
  readonly log: (message: string) => void;
}

type OwnerState =
  | { readonly state: 'absent' }
  | { readonly state: 'solid' }
  | { readonly state: 'waitingForDependentsDeletion' };

type Policy = 'Background' | 'Foreground' | 'Orphan';

export class GarbageCollector {
  constructor(private readonly options: GarbageCollectorOptions) {}

  /** The attemptToDelete worker. */
  readonly attemptToDeleteWorker: Reconciler = {
    reconcile: async (request: Request, signal: AbortSignal): Promise<Result> => {
      await this.options.waitForSync(signal);
      await this.attemptToDeleteItem(request.name, signal);
      return {};
    },
  };

  /** The attemptToOrphan worker. */
  readonly attemptToOrphanWorker: Reconciler = {
    reconcile: async (request: Request, signal: AbortSignal): Promise<Result> => {
      await this.options.waitForSync(signal);
      await this.attemptToOrphanItem(request.name, signal);
      return {};
    },
  };

  async attemptToDeleteItem(uid: string, signal: AbortSignal): Promise<void> {
    const item = this.options.graph.get(uid);
    if (!item) return; // gone from the graph: nothing left to decide
    if (item.beingDeleted && !item.deletingDependents) return;
    if (!item.deletingDependents && this.ownersAllObserved(item)) {
      // Every owner is in the informers' caches and none waits for its dependents: nothing to
      // do, and no request spent (a restart enqueues many such items). Should an owner go, its
      // delete event brings this item back, and the live reads below decide.
      return;
    }
    const latest = await this.getLatest(item.identity, signal);
    if (!latest) return; // the informer will show the deletion
    const meta = latest.metadata ?? {};
    const finalizers = meta.finalizers ?? [];
    if (meta.deletionTimestamp !== undefined && finalizers.includes(FOREGROUND_FINALIZER)) {
      await this.processDeletingDependents(item, latest, signal);
      return;
    }
    if (meta.deletionTimestamp !== undefined) return;
    const owners = meta.ownerReferences ?? [];
    if (owners.length === 0) return;

    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of owners) {
      const owner = await this.ownerState(ref, item.identity.namespace, signal);
      if (owner.state === 'solid') solid.push(ref);
      else if (owner.state === 'absent') dangling.push(ref);
      else waiting.push(ref);
    }

    if (solid.length > 0) {
      // It stays; drop references to owners that are gone and stop blocking owners being
      // deleted in the foreground (they would otherwise wait for an object that stays).
      const unblock = waiting.filter((r) => r.blockOwnerDeletion === true);
      if (dangling.length === 0 && unblock.length === 0) return;
      const goneUids = new Set(dangling.map((r) => r.uid));
      const unblockUids = new Set(unblock.map((r) => r.uid));
      const kept = owners
        .filter((r) => !goneUids.has(r.uid))
        .map((r) => (unblockUids.has(r.uid) ? { ...r, blockOwnerDeletion: false } : r));
      this.options.log(
        `${describe(item.identity)}: removing ${dangling.length} dangling and unblocking ${unblock.length} owner references`,
      );
      await this.writeMetadata(item.identity, latest, { ownerReferences: kept }, signal);
      return;
    }
    if (waiting.length > 0 && this.options.graph.dependents(uid).length > 0) {
      // An owner waits for this object, which has dependents of its own: delete it in the
      // foreground too, so the owner waits for the whole subtree. A dependent already deleting
      // its own dependents may be part of a cycle (it owns this object's owner): as Kubernetes
      // does, it stops blocking this object first, so the cycle cannot wait on itself forever.
      for (const dep of this.options.graph.dependents(uid)) {
        if (dep.deletingDependents) await this.unblock(dep.identity, uid, signal);
      }
      await this.deleteObject(item.identity, 'Foreground', signal);
      return;
    }
    const policy: Policy = finalizers.includes(ORPHAN_FINALIZER)
      ? 'Orphan'
      : finalizers.includes(FOREGROUND_FINALIZER)
        ? 'Foreground'
        : 'Background';
    await this.deleteObject(item.identity, policy, signal);
  }

  private ownersAllObserved(item: GraphNode): boolean {
    return item.owners.every((ref) => {
      const owner = this.options.graph.get(ref.uid);
      return owner !== undefined && !owner.deletingDependents;
    });
  }

  /** Sets blockOwnerDeletion false on `dependent`'s references to `ownerUid`. */
  private async unblock(
    dependent: ObjectIdentity,
    ownerUid: string,
    signal: AbortSignal,
  ): Promise<void> {
    const latest = await this.getLatest(dependent, signal);
    const refs = latest?.metadata?.ownerReferences ?? [];
    if (!latest || !refs.some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true)) return;
    const ownerReferences = refs.map((r) =>
      r.uid === ownerUid ? { ...r, blockOwnerDeletion: false } : r,
    );
    await this.writeMetadata(dependent, latest, { ownerReferences }, signal);
  }

  /** An owner being deleted in the foreground: its dependents first, then the finalizer. */
  private async processDeletingDependents(
    item: GraphNode,
    latest: KubeObject,
    signal: AbortSignal,
  ): Promise<void> {
    const uid = item.identity.uid;
    const blocking = this.options.graph.blockingDependents(uid);
    if (blocking.length === 0) {
      await this.removeFinalizer(item.identity, latest, FOREGROUND_FINALIZER, signal);
      return;
    }
    // Their deletion (or their references changing) brings the owner back to this queue.
    for (const dep of blocking) {
      if (!dep.deletingDependents) this.options.attemptToDelete(dep.identity.uid);
    }
  }

  async attemptToOrphanItem(uid: string, signal: AbortSignal): Promise<void> {
    const owner = this.options.graph.get(uid);
    if (!owner?.orphaning) return;
    for (const dep of this.options.graph.dependents(uid)) {
      const latest = await this.getLatest(dep.identity, signal);
      if (!latest) continue;
      const refs = latest.metadata?.ownerReferences ?? [];
      const kept = refs.filter((r) => r.uid !== uid);
      if (kept.length === refs.length) continue;
      await this.writeMetadata(dep.identity, latest, { ownerReferences: kept }, signal);
    }
    const latest = await this.getLatest(owner.identity, signal);
    if (!latest) return;
    await this.removeFinalizer(owner.identity, latest, ORPHAN_FINALIZER, signal);
  }

  /** Kubernetes' isDangling: a live read of the owner by name, compared by uid. */
  private async ownerState(
    ref: OwnerReference,
    dependentNamespace: string,
    signal: AbortSignal,
  ): Promise<OwnerState> {
    const key = kindKey(ref.apiVersion, ref.kind);
    let resource = this.options.discovery()?.kinds.get(key);
    if (!resource) {
      // As Kubernetes' deferred discovery RESTMapper: a miss reads discovery again.
      await this.options.refreshDiscovery(signal);
      resource = this.options.discovery()?.kinds.get(key);
    }
    if (!resource) {
      // Not served (yet): retried through the rate limiter until discovery knows it.
      throw new Error(`cannot resolve the owner kind ${ref.apiVersion} ${ref.kind}`);
    }
    // A cluster-scoped dependent cannot be owned by a namespaced object: the owner is absent.
    if (resource.namespaced && !dependentNamespace) return { state: 'absent' };
    const namespace = resource.namespaced ? dependentNamespace : undefined;
    let owner: KubeObject;
    try {
      owner = await this.options.client.resource<KubeObject>(resource, namespace).get(ref.name, {
        signal,
      });
    } catch (err) {
      if (isNotFound(err)) return { state: 'absent' };
      throw err;
    }
    const meta = owner.metadata ?? {};
    if (meta.uid !== ref.uid) return { state: 'absent' };
    if (
      meta.deletionTimestamp !== undefined &&
      (meta.finalizers ?? []).includes(FOREGROUND_FINALIZER)
    ) {
      return { state: 'waitingForDependentsDeletion' };
    }
    return { state: 'solid' };
  }

  /** The object as the apiserver has it now; undefined when gone or replaced (another uid). */
  private async getLatest(
    identity: ObjectIdentity,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    try {
      const latest = await this.client(identity).get(identity.name, { signal });
      return latest.metadata?.uid === identity.uid ? latest : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async deleteObject(
    identity: ObjectIdentity,
    policy: Policy,
    signal: AbortSignal,
  ): Promise<void> {
    this.options.log(`deleting ${describe(identity)} (propagationPolicy ${policy})`);
    try {
      await this.client(identity).delete(identity.name, {
        propagationPolicy: policy,
        preconditions: { uid: identity.uid },
        signal,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async removeFinalizer(
    identity: ObjectIdentity,
    latest: KubeObject,
    finalizer: string,
    signal: AbortSignal,
  ): Promise<void> {
    const finalizers = latest.metadata?.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    this.options.log(`removing the ${finalizer} finalizer from ${describe(identity)}`);
    await this.writeMetadata(
      identity,
      latest,
      { finalizers: finalizers.filter((f) => f !== finalizer) },
      signal,
    );
  }

  /**
   * Writes metadata changes as an update of the object just read: its resourceVersion makes it
   * a compare-and-swap, so a concurrent change answers 409 and the key is retried.
   */
  private async writeMetadata(
    identity: ObjectIdentity,
    latest: KubeObject,
    changes: { ownerReferences?: OwnerReference[]; finalizers?: string[] },
    signal: AbortSignal,
  ): Promise<void> {
    const updated = structuredClone(latest);
    updated.metadata = { ...updated.metadata, ...changes };
    try {
      await this.client(identity).update(updated, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private client(identity: ObjectIdentity) {
    return this.options.client.resource<KubeObject>(
      identity.resource,
      identity.namespace || undefined,
    );
  }
}

function describe(identity: ObjectIdentity): string {
  const at = identity.namespace ? `${identity.namespace}/` : '';
  return `${identity.kind} ${at}${identity.name} (uid ${identity.uid})`;
}
