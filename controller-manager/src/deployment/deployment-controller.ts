// The Deployment controller (Kubernetes' pkg/controller/deployment): rolls a Deployment's pod
// template out through ReplicaSets — one per template, named `<deployment>-<pod-template-hash>` —
// by the RollingUpdate or Recreate strategy, keeps revisions and history, scales proportionally
// mid-rollout, honours pause, and reports Available/Progressing the way `kubectl rollout status`
// reads them. It never touches pods: the ReplicaSet controller does.
//
// A sync reads only the caches and takes one step; every write (a ReplicaSet scaled, a status)
// comes back as an informer event that triggers the next step. Level-triggered: a restart at
// any point continues from what the apiserver holds.
import {
  errorMessage,
  isNotFound,
  labelSelectorAsSelector,
  type Clock,
  type Deployment,
  type Pod,
  type ReplicaSet,
  type Selector,
} from '@skiff/api';
import {
  controllerOf,
  controllerReference,
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
import { adoptPatch, claimObjects, releasePatch } from '../controller/claim-objects.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { deploymentObject, DeploymentSync, type SyncDeps } from './sync.js';

type RS = Readonly<ReplicaSet>;

export interface DeploymentControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'deployments' | 'replicaSets'>;
  readonly deployments: Lister<Deployment>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly pods: Lister<Pod>;
  readonly queue: WorkSink;
}

export class DeploymentController implements Reconciler {
  private readonly client: Pick<Client, 'deployments' | 'replicaSets'>;
  private readonly dLister: Lister<Deployment>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly podLister: Lister<Pod>;
  private readonly queue: WorkSink;
  private readonly clock: Clock;
  private readonly recorder: Recorder;
  private readonly log: (message: string) => void;

  constructor(options: DeploymentControllerOptions) {
    this.client = options.client;
    this.dLister = options.deployments;
    this.rsLister = options.replicaSets;
    this.podLister = options.pods;
    this.queue = options.queue;
    this.clock = options.clock;
    this.recorder = options.recorder;
    this.log = options.log;
  }

  // --- sync -------------------------------------------------------------------------------

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const cached = this.dLister.get(request.namespace ?? '', request.name);
    if (!cached) return {};
    const d = structuredClone(cached) as Deployment;

    let selector: Selector;
    try {
      selector = labelSelectorAsSelector(d.spec.selector);
    } catch (err) {
      this.recorder.event(deploymentObject(d), 'Warning', 'InvalidSelector', errorMessage(err));
      return {};
    }
    const deps: SyncDeps = {
      client: this.client,
      replicaSets: this.rsLister,
      recorder: this.recorder,
      now: () => this.clock.now(),
      log: this.log,
      signal,
    };
    if (selector.isEverything()) {
      this.recorder.event(
        deploymentObject(d),
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        await new DeploymentSync(deps, d, [], new Map()).writeStatus({
          ...d.status,
          observedGeneration: d.metadata.generation ?? 0,
        });
      }
      return {};
    }

    const rsList = await this.claim(d, selector, signal);
    const run = new DeploymentSync(deps, d, rsList, this.podMap(d, selector, rsList));
    if (d.metadata.deletionTimestamp) {
      // Going away: report what is there, change nothing.
      const { newRS, oldRSs } = await run.replicaSetsAndSyncRevision(false);
      await run.syncStatus([...oldRSs, newRS], newRS);
      return {};
    }
    await run.checkPausedConditions();
    if (run.d.spec.paused || (await run.isScalingEvent())) {
      await run.sync();
    } else if (run.d.spec.strategy?.type === 'Recreate') {
      await rolloutRecreate(run);
    } else {
      await rolloutRolling(run);
    }
    if (run.requeueAfter === undefined) return {};
    return run.requeueAfter === 0 ? { requeue: true } : { requeueAfter: run.requeueAfter };
  }

  /** The ReplicaSets this Deployment owns after adopting and releasing what it should. */
  private async claim(
    d: Readonly<Deployment>,
    selector: Selector,
    signal: AbortSignal,
  ): Promise<RS[]> {
    const namespace = d.metadata.namespace ?? '';
    const claims = claimObjects(d, selector, this.rsLister.namespace(namespace).list());
    const owned = [...claims.owned];
    const replicaSets = this.client.replicaSets(namespace);
    if (claims.adopt.length > 0 && (await this.canAdopt(d, signal))) {
      const ref = controllerReference(deploymentObject(d));
      for (const rs of claims.adopt) {
        try {
          const adopted = await replicaSets.patch(
            rs.metadata.name ?? '',
            adoptPatch(ref, rs.metadata.uid),
            {
              type: 'strategic',
              signal,
            },
          );
          owned.push(adopted);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    for (const rs of claims.release) {
      try {
        await replicaSets.patch(
          rs.metadata.name ?? '',
          releasePatch(d.metadata.uid ?? '', rs.metadata.uid),
          {
            type: 'strategic',
            signal,
          },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return owned;
  }

  /** Re-read from the apiserver: a Deployment deleted or replaced under its name adopts nothing. */
  private async canAdopt(d: Readonly<Deployment>, signal: AbortSignal): Promise<boolean> {
    try {
      const fresh = await this.client
        .deployments(d.metadata.namespace)
        .get(d.metadata.name ?? '', { signal });
      return fresh.metadata.uid === d.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** The selected pods of each owned ReplicaSet, terminating ones included (Recreate waits). */
  private podMap(d: Readonly<Deployment>, selector: Selector, rsList: readonly RS[]) {
    const map = new Map<string, Readonly<Pod>[]>();
    for (const rs of rsList) map.set(rs.metadata.uid ?? '', []);
    for (const pod of this.podLister.namespace(d.metadata.namespace ?? '').list(selector)) {
      map.get(controllerOf(pod)?.uid ?? '')?.push(pod);
    }
    return map;
  }

  // --- event handlers ----------------------------------------------------------------------

  onDeploymentChange(d: Readonly<Deployment>): void {
    this.queue.enqueue(requestOf(d));
  }

  onReplicaSetChange(rs: RS): void {
    const owner = this.controllingDeployment(rs);
    if (owner) return this.queue.enqueue(requestOf(owner));
    if (controllerOf(rs)) return;
    // An orphan: every Deployment that would adopt it gets a look.
    for (const d of this.selectingDeployments(rs)) this.queue.enqueue(requestOf(d));
  }

  onReplicaSetUpdate(old: RS, cur: RS): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const previous = this.controllingDeployment(old);
    const current = this.controllingDeployment(cur);
    if (previous && previous.metadata.uid !== current?.metadata.uid) {
      this.queue.enqueue(requestOf(previous));
    }
    this.onReplicaSetChange(cur);
  }

  onReplicaSetDelete(rs: RS): void {
    const owner = this.controllingDeployment(rs);
    if (owner) this.queue.enqueue(requestOf(owner));
  }

  /** A Recreate rollout waits for its old pods to be gone: a deletion may let it go on. */
  onPodDelete(pod: Readonly<Pod>): void {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.rsLister.get(pod.metadata.namespace ?? '', ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.controllingDeployment(rs);
    if (d?.spec.strategy?.type === 'Recreate') this.queue.enqueue(requestOf(d));
  }

  private controllingDeployment(rs: RS): Readonly<Deployment> | undefined {
    const ref = controllerOf(rs);
    if (ref?.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const d = this.dLister.get(rs.metadata.namespace ?? '', ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private selectingDeployments(rs: RS): Readonly<Deployment>[] {
    return this.dLister
      .namespace(rs.metadata.namespace ?? '')
      .list()
      .filter((d) => {
        try {
          const selector = labelSelectorAsSelector(d.spec.selector);
          return !selector.isEverything() && selector.matches(rs.metadata.labels);
        } catch {
          // An unparsable selector selects nothing (its own sync reports it).
          return false;
        }
      });
  }
}
