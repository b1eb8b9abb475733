// Static pods in the kubelet: the file source's pods run like any other (by UID, through the pod
// workers), and their mirrors in the API follow them. This joins the two views: a static pod is
// synced with its mirror's status (the API's copy of what the kubelet wrote), its status goes
// to the mirror's UID, a mirror's change or deletion re-syncs its static pod (which makes it
// again), and a mirror whose static pod is gone is deleted.
import { errorMessage, type Pod } from '@skiff/api';
import type { StaticPodSource } from '../config/static-pod-source.js';
import { isMirrorPod } from '../config/static-pod-manifest.js';
import { mirrorAction, type MirrorClient } from './mirror-client.js';

export interface StaticPodsOptions {
  /** Undefined without --pod-manifest-path: then every mirror of this node is an orphan. */
  readonly source: StaticPodSource | undefined;
  readonly mirrors: MirrorClient;
  /** The API pod of that name on this node (the informer's copy). */
  readonly apiPod: (namespace: string, name: string) => Readonly<Pod> | undefined;
  /** Asks the pod workers to sync this UID. */
  readonly update: (uid: string) => void;
  readonly log: (message: string) => void;
}

export class StaticPods {
  /** Mirror deletions in flight (made from informer callbacks, which cannot wait). */
  private readonly deleting = new Set<Promise<void>>();

  constructor(private readonly options: StaticPodsOptions) {}

  /** The static pod of `uid`, with its current mirror's status, if `uid` is a static pod. */
  pod(uid: string): Readonly<Pod> | undefined {
    const staticPod = this.options.source?.get(uid);
    if (staticPod === undefined) return undefined;
    const mirror = this.currentMirror(staticPod);
    return mirror?.status === undefined ? staticPod : { ...staticPod, status: mirror.status };
  }

  /** Where `uid`'s status is written: its own UID, or a static pod's current mirror's. */
  statusUid(uid: string): string | undefined {
    const staticPod = this.options.source?.get(uid);
    if (staticPod === undefined) return uid;
    return this.currentMirror(staticPod)?.metadata.uid;
  }

  /** Whether `uid` is a static pod's. */
  isStatic(uid: string): boolean {
    return this.options.source?.get(uid) !== undefined;
  }

  /** Every static pod, each with its current mirror's status. */
  list(): Readonly<Pod>[] {
    return this.uids().flatMap((uid) => this.pod(uid) ?? []);
  }

  uids(): string[] {
    return (this.options.source?.list() ?? []).map((p) => p.metadata.uid ?? '');
  }

  /** After a static pod's sync: its mirror is made or replaced as needed. */
  async afterSync(uid: string): Promise<void> {
    const staticPod = this.options.source?.get(uid);
    if (staticPod === undefined) return;
    try {
      await this.options.mirrors.sync(staticPod, this.mirrorOf(staticPod));
    } catch (err) {
      this.options.log(`mirror pod of ${staticPod.metadata.name ?? ''}: ${errorMessage(err)}`);
    }
  }

  /**
   * An API pod changed: a mirror re-syncs its static pod, or is deleted when it has none.
   * Returns whether it was a mirror (mirrors are never run from the API).
   */
  onApiPod(pod: Readonly<Pod>, deleted: boolean): boolean {
    if (!isMirrorPod(pod)) return false;
    const staticPod = this.options.source?.byName(
      pod.metadata.namespace ?? 'default',
      pod.metadata.name ?? '',
    );
    if (staticPod !== undefined) this.options.update(staticPod.metadata.uid ?? '');
    else if (!deleted) void this.deleteMirror(pod);
    return true;
  }

  /** Reads the manifests again: new pods start, gone ones stop and lose their mirrors. */
  async reload(): Promise<void> {
    const { source, update } = this.options;
    if (source === undefined) return;
    const { added, removed } = await source.reload();
    for (const uid of added) update(uid);
    for (const pod of removed) {
      update(pod.metadata.uid ?? '');
      const mirror = this.mirrorOf(pod);
      const replaced = source.byName(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
      // A changed file's new pod replaces the mirror itself; only a removed file deletes it.
      if (mirror !== undefined && replaced === undefined) await this.deleteMirror(mirror);
    }
  }

  /** Resolves once the mirror deletions started so far are done (shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.deleting]);
  }

  /** Never rejects: a failure is logged, and the next sync or resync tries again. */
  private deleteMirror(mirror: Readonly<Pod>): Promise<void> {
    const done = this.options.mirrors
      .delete(mirror)
      .catch((err: unknown) => {
        this.options.log(`deleting mirror pod ${mirror.metadata.name ?? ''}: ${errorMessage(err)}`);
      })
      .finally(() => this.deleting.delete(done));
    this.deleting.add(done);
    return done;
  }

  private mirrorOf(staticPod: Readonly<Pod>): Readonly<Pod> | undefined {
    const pod = this.options.apiPod(
      staticPod.metadata.namespace ?? 'default',
      staticPod.metadata.name ?? '',
    );
    return pod !== undefined && isMirrorPod(pod) ? pod : undefined;
  }

  /** The mirror only while it mirrors this version of the static pod. */
  private currentMirror(staticPod: Readonly<Pod>): Readonly<Pod> | undefined {
    const mirror = this.mirrorOf(staticPod);
    return mirror !== undefined && mirrorAction(staticPod, mirror) === 'keep' ? mirror : undefined;
  }
}
