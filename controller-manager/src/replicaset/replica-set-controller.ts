// The ReplicaSet controller (Kubernetes' pkg/controller/replicaset): keeps `spec.replicas` pods
// matching a ReplicaSet's selector alive, owned through a controller reference.
//
// A sync for one key reads only the informers' caches, then:
//   1. claims pods: keeps its own, adopts matching orphans, releases pods that stopped matching;
//   2. when its expectations are met (the cache has seen what it did last time), creates the
//      missing pods in slow-start batches or deletes the surplus, victims chosen like Kubernetes;
//   3. writes status (replicas, fullyLabeled, ready, available, observedGeneration and the
//      ReplicaFailure condition) when it changed.
// Event handlers only count expectations off and enqueue keys: level-triggered, so a restart
// at any point converges to the same place without creating duplicates.
import {
  isAlreadyExists,
  isConflict,
  isNotFound,
  errorMessage,
  labelSelectorAsSelector,
  type Clock,
  type Pod,
  type ReplicaSet,
  type Selector,
} from '@skiff/api';
import {
  controllerOf,
  controllerReference,
  requestKey,
  type Client,
  type Lister,
  type Reconciler,
  type Request,
  type Result,
} from '@skiff/client';
import {
  requestOf,
  type ControllerContext,
  type Recorder,
  type WorkSink,
} from '../controller/types.js';

import { isPodActive, isPodReady, podKey } from '../podutil/pod.js';
import { adoptPatch, claimObjects, releasePatch } from '../controller/claim-objects.js';
import { UidTrackingExpectations } from './deletion-expectations.js';
import { podFromTemplate } from './pod-template.js';
import { slowStartBatch } from './slow-start.js';
import { calculateStatus, statusUpToDate, type ManageReplicasError } from './status.js';
import { podsToDelete } from './victims.js';

/** kube-controller-manager's BurstReplicas: most pods created or deleted in one sync. */
export const BURST_REPLICAS = 500;

export interface ReplicaSetControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'pods' | 'replicaSets'>;
  readonly pods: Lister<Pod>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly queue: WorkSink;
  readonly burstReplicas?: number;
}

export class ReplicaSetController implements Reconciler {
  readonly expectations: UidTrackingExpectations;
  private readonly client: Pick<Client, 'pods' | 'replicaSets'>;
  private readonly podLister: Lister<Pod>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly queue: WorkSink;
  private readonly clock: Clock;
  private readonly recorder: Recorder;
  private readonly burstReplicas: number;
  private readonly log: (message: string) => void;

  constructor(options: ReplicaSetControllerOptions) {
    this.client = options.client;
    this.podLister = options.pods;
    this.rsLister = options.replicaSets;
    this.queue = options.queue;
    this.clock = options.clock;
    this.recorder = options.recorder;
    this.log = options.log;
    this.burstReplicas = options.burstReplicas ?? BURST_REPLICAS;
    this.expectations = new UidTrackingExpectations(options.clock);
  }

  // --- sync -------------------------------------------------------------------------------

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const key = requestKey(request);
    const namespace = request.namespace ?? '';
    const rs = this.rsLister.get(namespace, request.name);
    if (!rs) {
      this.expectations.delete(key);
      return {};
    }
    let selector: Selector;
    try {
      selector = labelSelectorAsSelector(rs.spec.selector);
    } catch (err) {
      // The apiserver refuses such selectors; should one get through, say so and move on.
      this.recorder.event(asObject(rs), 'Warning', 'InvalidSelector', errorMessage(err));
      return {};
    }
    const needsSync = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    const active = this.podLister.namespace(namespace).list().filter(isPodActive);
    const pods = await this.claim(rs, selector, active, signal);

    const manageError = needsSync ? await this.manageReplicas(key, rs, pods, signal) : undefined;
    const now = this.clock.now();
    const status = calculateStatus(rs, pods, manageError, now);
    await this.updateStatus(rs, status, signal);
    if (manageError) throw new Error(manageError.message);

    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    // Pods that are ready but not yet available become available without any event: look
    // again once they have been ready for minReadySeconds.
    if (
      minReadySeconds > 0 &&
      status.readyReplicas === (rs.spec.replicas ?? 1) &&
      status.availableReplicas !== status.readyReplicas
    ) {
      return { requeueAfter: minReadySeconds * 1000 };
    }
    return {};
  }

  /** The active pods this ReplicaSet owns after adopting and releasing what it should. */
  private async claim(
    rs: Readonly<ReplicaSet>,
    selector: Selector,
    active: readonly Readonly<Pod>[],
    signal: AbortSignal,
  ): Promise<Readonly<Pod>[]> {
    const claims = claimObjects(rs, selector, active);
    const owned = [...claims.owned];
    const uid = rs.metadata.uid ?? '';
    if (claims.adopt.length > 0 && (await this.canAdopt(rs, signal))) {
      const ref = controllerReference(asObject(rs));
      for (const pod of claims.adopt) {
        try {
          await this.pods(rs).patch(pod.metadata.name ?? '', adoptPatch(ref, pod.metadata.uid), {
            type: 'strategic',
            signal,
          });
          owned.push(pod);
        } catch (err) {
          // Gone already: nothing to adopt. Anything else fails the sync and retries.
          if (!isNotFound(err)) throw err;
        }
      }
    }
    for (const pod of claims.release) {
      try {
        await this.pods(rs).patch(pod.metadata.name ?? '', releasePatch(uid, pod.metadata.uid), {
          type: 'strategic',
          signal,
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return owned;
  }

  /**
   * Adoption is decided on a cache that may be stale: re-read the ReplicaSet from the apiserver
   * first, so a ReplicaSet deleted (or replaced under the same name) never adopts anything.
   */
  private async canAdopt(rs: Readonly<ReplicaSet>, signal: AbortSignal): Promise<boolean> {
    const { namespace, name, uid } = rs.metadata;
    try {
      const fresh = await this.client.replicaSets(namespace).get(name ?? '', { signal });
      return fresh.metadata.uid === uid && !fresh.metadata.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Creates or deletes pods towards spec.replicas; answers what went wrong, if anything. */
  private async manageReplicas(
    key: string,
    rs: Readonly<ReplicaSet>,
    pods: readonly Readonly<Pod>[],
    signal: AbortSignal,
  ): Promise<ManageReplicasError | undefined> {
    const diff = pods.length - (rs.spec.replicas ?? 1);
    if (diff < 0) return this.createPods(key, rs, Math.min(-diff, this.burstReplicas), signal);
    if (diff > 0) {
      const victims = podsToDelete(
        pods,
        pods,
        Math.min(diff, this.burstReplicas),
        this.clock.now(),
      );
      return this.deletePods(key, rs, victims, signal);
    }
    return undefined;
  }

  private async createPods(
    key: string,
    rs: Readonly<ReplicaSet>,
    count: number,
    signal: AbortSignal,
  ): Promise<ManageReplicasError | undefined> {
    // Expect before creating: the informer may report a new pod before create() even returns.
    this.expectations.expectCreations(key, count);
    const ref = controllerReference(asObject(rs));
    const owner = asObject(rs);
    const { successes, error } = await slowStartBatch(count, 1, async () => {
      try {
        const pod = await this.pods(rs).create(podFromTemplate(rs, ref), { signal });
        this.recorder.event(
          owner,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name ?? ''}`,
        );
      } catch (err) {
        // A generated name that collided is a create that did not happen; retrying fixes it.
        if (!isAlreadyExists(err)) {
          this.recorder.event(
            owner,
            'Warning',
            'FailedCreate',
            `Error creating: ${errorMessage(err)}`,
          );
        }
        throw err;
      }
    });
    // Creates that failed or were never tried will never be observed: stop expecting them.
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    if (error === undefined) return undefined;
    this.log(`${key}: created ${successes} of ${count} pods: ${errorMessage(error)}`);
    return { reason: 'FailedCreate', message: errorMessage(error) };
  }

  private async deletePods(
    key: string,
    rs: Readonly<ReplicaSet>,
    victims: readonly Readonly<Pod>[],
    signal: AbortSignal,
  ): Promise<ManageReplicasError | undefined> {
    this.expectations.expectDeletionsOf(key, victims.map(podKey));
    const owner = asObject(rs);
    const results = await Promise.allSettled(
      victims.map(async (pod) => {
        const name = pod.metadata.name ?? '';
        try {
          await this.pods(rs).delete(name, { signal });
          this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          // Either way this deletion will not be observed as one of ours.
          this.expectations.deletionOf(key, podKey(pod));
          if (isNotFound(err)) return;
          this.recorder.event(
            owner,
            'Warning',
            'FailedDelete',
            `Error deleting: ${errorMessage(err)}`,
          );
          throw err;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    return failed && { reason: 'FailedDelete', message: errorMessage(failed.reason) };
  }

  private async updateStatus(
    rs: Readonly<ReplicaSet>,
    status: ReturnType<typeof calculateStatus>,
    signal: AbortSignal,
  ): Promise<void> {
    if (statusUpToDate(rs, status)) return;
    const next = { ...status, observedGeneration: rs.metadata.generation ?? 0 };
    const client = this.client.replicaSets(rs.metadata.namespace);
    try {
      await client.updateStatus({ ...asObject(rs), spec: rs.spec, status: next }, { signal });
    } catch (err) {
      if (!isConflict(err)) throw err;
      // One retry on the current object, as Kubernetes does; a second conflict retries the key.
      const fresh = await client.get(rs.metadata.name ?? '', { signal });
      await client.updateStatus({ ...fresh, status: next }, { signal });
    }
  }

  private pods(rs: Readonly<ReplicaSet>): ReturnType<Client['pods']> {
    return this.client.pods(rs.metadata.namespace);
  }

  // --- event handlers ----------------------------------------------------------------------

  onReplicaSetChange(rs: Readonly<ReplicaSet>): void {
    this.queue.enqueue(requestOf(rs));
  }

  onReplicaSetDelete(rs: Readonly<ReplicaSet>): void {
    this.expectations.delete(requestKey(requestOf(rs)));
    this.queue.enqueue(requestOf(rs));
  }

  onPodAdd(pod: Readonly<Pod>): void {
    // A pod that appears already terminating (a restart mid-deletion) counts as a deletion.
    if (pod.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const owner = this.controllingReplicaSet(pod);
    if (owner) {
      const request = requestOf(owner);
      this.expectations.creationObserved(requestKey(request));
      return this.queue.enqueue(request);
    }
    if (controllerOf(pod)) return;
    // An orphan: every ReplicaSet that would adopt it gets a look.
    for (const rs of this.selectingReplicaSets(pod)) this.queue.enqueue(requestOf(rs));
  }

  onPodUpdate(old: Readonly<Pod>, cur: Readonly<Pod>): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = !sameLabels(old, cur);
    if (cur.metadata.deletionTimestamp) {
      // The pod is on its way out: count it as deleted now, so a replacement starts at once.
      this.onPodDelete(cur);
      if (labelsChanged) this.onPodDelete(old);
      return;
    }
    const oldRef = controllerOf(old);
    const curRef = controllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const previous = this.controllingReplicaSet(old);
      if (previous) this.queue.enqueue(requestOf(previous));
    }
    const owner = this.controllingReplicaSet(cur);
    if (owner) {
      this.queue.enqueue(requestOf(owner));
      const minReadySeconds = owner.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) {
        this.queue.enqueueAfter(requestOf(owner), minReadySeconds * 1000);
      }
      return;
    }
    if (curRef) return;
    if (labelsChanged || refChanged) {
      for (const rs of this.selectingReplicaSets(cur)) this.queue.enqueue(requestOf(rs));
    }
  }

  onPodDelete(pod: Readonly<Pod>): void {
    const owner = this.controllingReplicaSet(pod);
    if (!owner) return;
    const request = requestOf(owner);
    this.expectations.deletionOf(requestKey(request), podKey(pod));
    this.queue.enqueue(request);
  }

  /** The cached ReplicaSet the pod's controller reference names, if it is that very object. */
  private controllingReplicaSet(pod: Readonly<Pod>): Readonly<ReplicaSet> | undefined {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.rsLister.get(pod.metadata.namespace ?? '', ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  private selectingReplicaSets(pod: Readonly<Pod>): Readonly<ReplicaSet>[] {
    return this.rsLister
      .namespace(pod.metadata.namespace ?? '')
      .list()
      .filter((rs) => {
        try {
          const selector = labelSelectorAsSelector(rs.spec.selector);
          return !selector.isEverything() && selector.matches(pod.metadata.labels);
        } catch {
          // An unparsable selector selects nothing (its own sync reports it).
          return false;
        }
      });
  }
}

/** The ReplicaSet with its type meta, which lists leave off but owner refs and events need. */
function asObject(rs: Readonly<ReplicaSet>): ReplicaSet {
  return { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
}

function sameLabels(a: Readonly<Pod>, b: Readonly<Pod>): boolean {
  const la = a.metadata.labels ?? {};
  const lb = b.metadata.labels ?? {};
  const keys = Object.keys(la);
  return keys.length === Object.keys(lb).length && keys.every((k) => la[k] === lb[k]);
}
