// One sync of one Deployment (Kubernetes' sync.go): finding or creating the new ReplicaSet and
// keeping revisions in step, scaling ReplicaSets with their annotations and events, proportional
// scaling, history cleanup, and writing status. It holds the Deployment copy being worked on, so
// each write continues from the object the apiserver answered with.
import {
  errorMessage,
  type ConditionStatus,
  isAlreadyExists,
  isNotFound,
  type Deployment,
  type DeploymentStatus,
  type Pod,
  type ReplicaSet,
} from '@skiff/api';
import { controllerOf, controllerReference, type Client, type Lister } from '@skiff/client';
import type { Recorder } from '../controller/types.js';
import {
  desiredReplicasAnnotation,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  REVISION_ANNOTATION,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.js';
import { getCondition, newCondition, PROGRESSING, reasons, setCondition } from './conditions.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './fenceposts.js';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './hash.js';
import { proportionalScale, type ScalingOperation } from './proportion.js';
import {
  byRevision,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
  specReplicas,
} from './replica-sets.js';
import { newRSNewReplicas } from './rolling-plan.js';
import {
  calculateStatus,
  hasProgressDeadline,
  normalizeStatus,
  rolloutStatus,
  sameStatus,
  stuckRequeueAfter,
} from './status.js';

type RS = Readonly<ReplicaSet>;

export interface SyncDeps {
  readonly client: Pick<Client, 'deployments' | 'replicaSets'>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly recorder: Recorder;
  readonly now: () => number;
  readonly log: (message: string) => void;
  readonly signal: AbortSignal;
}

export interface ReplicaSetsOfRollout {
  readonly newRS: RS | undefined;
  readonly oldRSs: RS[];
}

export class DeploymentSync {
  /** What the queue should do after this sync (a deadline to check later). */
  requeueAfter: number | undefined;

  constructor(
    private readonly deps: SyncDeps,
    /** The Deployment being synced: a private copy, refreshed from every write's answer. */
    public d: Deployment,
    rsList: readonly RS[],
    /** The pods of each ReplicaSet by its uid (Recreate waits for old ones to be gone). */
    readonly podMap: ReadonlyMap<string, readonly Readonly<Pod>[]>,
  ) {
    this.rsList = [...rsList];
  }

  /**
   * The Deployment's ReplicaSets as this sync last wrote or read them: a later step (the
   * rollout after the scaling-event check) must not write again from the older cached copy.
   */
  private rsList: RS[];

  private remember(rs: RS): RS {
    const at = this.rsList.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (at >= 0) this.rsList[at] = rs;
    else this.rsList.push(rs);
    return rs;
  }

  private get namespace(): string {
    return this.d.metadata.namespace ?? '';
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event(deploymentObject(this.d), type, reason, message);
  }

  // --- the new ReplicaSet and revisions ----------------------------------------------------

  /**
   * The new and old ReplicaSets; the new one is created when asked and missing, and its
   * revision (and the Deployment's) is brought up to date.
   */
  async replicaSetsAndSyncRevision(createIfNotExisted: boolean): Promise<ReplicaSetsOfRollout> {
    const oldRSs = findOldReplicaSets(this.d, this.rsList);
    const newRS = await this.newReplicaSet(oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  private async newReplicaSet(oldRSs: readonly RS[], create: boolean): Promise<RS | undefined> {
    const existing = findNewReplicaSet(this.d, this.rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) return this.syncExistingNewReplicaSet(existing, newRevision);
    if (!create) return undefined;
    return this.createNewReplicaSet(oldRSs, newRevision);
  }

  private async syncExistingNewReplicaSet(existing: RS, newRevision: number): Promise<RS> {
    const copy = structuredClone(existing) as ReplicaSet;
    const annotationsUpdated = desiredReplicaSetAnnotations(this.d, copy, newRevision, true);
    const minReadySeconds = this.d.spec.minReadySeconds ?? 0;
    if (annotationsUpdated || (copy.spec.minReadySeconds ?? 0) !== minReadySeconds) {
      copy.spec.minReadySeconds = minReadySeconds;
      // The update's own event brings the next sync, which finds the revision settled.
      return this.remember(
        await this.deps.client
          .replicaSets(this.namespace)
          .update(copy, { signal: this.deps.signal }),
      );
    }
    const revised = this.setDeploymentRevision(
      copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '',
    );
    // A Deployment seen for the first time with a rollout under way starts being timed now.
    if (hasProgressDeadline(this.d) && !getCondition(this.d.status, PROGRESSING)) {
      const message = `Found new replica set "${copy.metadata.name ?? ''}"`;
      await this.writeStatus(this.withProgressing('True', reasons.foundNewReplicaSet, message));
    } else if (revised) {
      await this.writeStatus(this.statusCopy());
    }
    return copy;
  }

  private async createNewReplicaSet(oldRSs: readonly RS[], newRevision: number): Promise<RS> {
    const d = this.d;
    const template = structuredClone(d.spec.template);
    const hash = computeHash(template, d.status?.collisionCount);
    const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    template.metadata = { ...template.metadata, labels };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        // Deterministic, so a sync repeated on a stale cache cannot create a second one.
        name: `${d.metadata.name ?? ''}-${hash}`,
        namespace: this.namespace,
        ownerReferences: [controllerReference(deploymentObject(d))],
        labels: { ...labels },
      },
      spec: {
        replicas: 0,
        ...(d.spec.minReadySeconds !== undefined && { minReadySeconds: d.spec.minReadySeconds }),
        selector: {
          ...structuredClone(d.spec.selector),
          matchLabels: { ...d.spec.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash },
        },
        template,
      },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec.replicas = replicas;
    desiredReplicaSetAnnotations(d, rs, newRevision, false);

    let created: RS;
    let alreadyExisted = false;
    try {
      created = await this.deps.client
        .replicaSets(this.namespace)
        .create(rs, { signal: this.deps.signal });
    } catch (err) {
      if (!isAlreadyExists(err)) return this.failedCreate(rs, err);
      alreadyExisted = true;
      created = await this.resolveNameCollision(rs, err);
    }
    if (!alreadyExisted && replicas > 0) {
      this.event(
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${replicas}`,
      );
    }
    // The revision and the Progressing condition go out in one status write, as in Kubernetes.
    const revised = this.setDeploymentRevision(String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      const message = `Created new replica set "${created.metadata.name ?? ''}"`;
      await this.writeStatus(this.withProgressing('True', reasons.newReplicaSetCreated, message));
    } else if (revised) {
      await this.writeStatus(this.statusCopy());
    }
    return this.remember(created);
  }

  /**
   * The name is taken. Ours from an earlier sync (a stale cache) is fine; anything else is a
   * hash collision: bump collisionCount so the next sync hashes differently, and fail this one.
   */
  private async resolveNameCollision(rs: RS, err: unknown): Promise<RS> {
    const name = rs.metadata.name ?? '';
    const existing =
      this.deps.replicaSets.get(this.namespace, name) ??
      (await this.deps.client.replicaSets(this.namespace).get(name, { signal: this.deps.signal }));
    const ref = controllerOf(existing);
    if (
      ref?.uid === this.d.metadata.uid &&
      equalIgnoreHash(this.d.spec.template, existing.spec.template)
    ) {
      return existing;
    }
    const status = this.statusCopy();
    status.collisionCount = (status.collisionCount ?? 0) + 1;
    await this.writeStatus(status);
    throw err;
  }

  private async failedCreate(rs: RS, err: unknown): Promise<never> {
    const message = `Failed to create new replica set "${rs.metadata.name ?? ''}": ${errorMessage(err)}`;
    if (hasProgressDeadline(this.d)) {
      // The create error is what matters and is what the retry reports; a status write that
      // fails as well adds nothing to it.
      await this.writeProgressing('False', reasons.replicaSetCreateError, message).catch(
        (statusErr: unknown) => this.deps.log(`status of ${message}: ${errorMessage(statusErr)}`),
      );
    }
    this.event('Warning', reasons.replicaSetCreateError, message);
    throw err;
  }

  /**
   * Sets the Deployment's revision annotation on this sync's copy; true when it changed. As in
   * Kubernetes it goes out with the next status write: deployments/status keeps annotations
   * (only spec and labels come from the stored object) and, unlike a write to the Deployment
   * itself, an annotation written there does not bump the generation.
   */
  private setDeploymentRevision(revision: string): boolean {
    if (this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
    this.d = {
      ...this.d,
      metadata: {
        ...this.d.metadata,
        annotations: { ...this.d.metadata.annotations, [REVISION_ANNOTATION]: revision },
      },
    };
    return true;
  }

  // --- scaling -----------------------------------------------------------------------------

  /** Scales `rs` to `newScale` (recording an event when its size changed). */
  async scaleReplicaSetAndRecordEvent(
    rs: RS,
    newScale: number,
  ): Promise<{ scaled: boolean; rs: RS }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  private async scaleReplicaSet(
    rs: RS,
    newScale: number,
    operation: ScalingOperation,
  ): Promise<{ scaled: boolean; rs: RS }> {
    const desired = desiredReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const oldScale = specReplicas(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) {
      return { scaled: false, rs };
    }
    const copy = structuredClone(rs) as ReplicaSet;
    copy.spec.replicas = newScale;
    setReplicasAnnotations(copy, desired, max);
    const updated = this.remember(
      await this.deps.client.replicaSets(this.namespace).update(copy, { signal: this.deps.signal }),
    );
    if (sizeNeedsUpdate) {
      this.event(
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${operation} replica set ${updated.metadata.name ?? ''} from ${oldScale} to ${newScale}`,
      );
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /**
   * A resize without a rollout (Kubernetes' scale): one active ReplicaSet takes the new size;
   * a saturated new one means the old ones go to 0; else the change is shared proportionally.
   */
  async scale(newRS: RS | undefined, oldRSs: readonly RS[]): Promise<void> {
    const desired = desiredReplicas(this.d);
    const single = findActiveOrLatest(newRS, oldRSs);
    if (single) {
      if (specReplicas(single) !== desired)
        await this.scaleReplicaSetAndRecordEvent(single, desired);
      return;
    }
    if (isSaturated(this.d, newRS)) {
      for (const old of filterActive(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    const plan = proportionalScale(this.d, filterActive([...oldRSs, newRS]));
    // One at a time: a failure stops here and the retry recomputes from what was written.
    for (const { rs, size } of plan.sizes) await this.scaleReplicaSet(rs, size, plan.operation);
  }

  /** A replica count changed on the Deployment that its active ReplicaSets were not scaled for. */
  async isScalingEvent(): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(false);
    const desired = desiredReplicas(this.d);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const annotated = desiredReplicasAnnotation(rs);
      return annotated !== undefined && annotated !== desired;
    });
  }

  /** A paused Deployment or a scaling event: resize, keep history, write status. */
  async sync(): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(false);
    await this.scale(newRS, oldRSs);
    if (this.d.spec.paused) await this.cleanup(oldRSs);
    await this.syncStatus([...oldRSs, newRS], newRS);
  }

  // --- history -----------------------------------------------------------------------------

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(oldRSs: readonly RS[]): Promise<void> {
    const limit = this.d.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    for (const rs of [...alive].sort(byRevision).slice(0, diff)) {
      // Only ReplicaSets with no pods, none asked for, and that status has caught up with.
      if (
        (rs.status?.replicas ?? 0) !== 0 ||
        specReplicas(rs) !== 0 ||
        (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)
      ) {
        continue;
      }
      try {
        await this.deps.client
          .replicaSets(this.namespace)
          .delete(rs.metadata.name ?? '', { signal: this.deps.signal });
      } catch (err) {
        // Stop at the first failure rather than press on against a struggling apiserver.
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // --- status ------------------------------------------------------------------------------

  /** Counts and Available only (paused, scaling, being deleted). */
  async syncStatus(allRSs: readonly (RS | undefined)[], newRS: RS | undefined): Promise<void> {
    const status = calculateStatus(allRSs, newRS, this.d, this.deps.now());
    if (!sameStatus(this.d.status, status)) await this.writeStatus(status);
  }

  /** After a rollout step: also Progressing (with its deadline) and ReplicaFailure. */
  async syncRolloutStatus(
    allRSs: readonly (RS | undefined)[],
    newRS: RS | undefined,
  ): Promise<void> {
    const now = this.deps.now();
    const status = rolloutStatus(allRSs, newRS, this.d, now);
    if (sameStatus(this.d.status, status)) {
      this.requeueAfter = stuckRequeueAfter(this.d, status, now);
      return;
    }
    await this.writeStatus(status);
  }

  /** Kubernetes' checkPausedConditions: Progressing Unknown while paused, and on resume. */
  async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const current = getCondition(this.d.status, PROGRESSING);
    // A rollout that ran out of time says so, paused or not.
    if (current?.reason === reasons.progressDeadlineExceeded) return;
    const pausedShown = current?.reason === reasons.deploymentPaused;
    const paused = this.d.spec.paused === true;
    if (paused === pausedShown) return;
    await (paused
      ? this.writeProgressing('Unknown', reasons.deploymentPaused, 'Deployment is paused')
      : this.writeProgressing('Unknown', reasons.deploymentResumed, 'Deployment is resumed'));
  }

  /** Writes the status with the Progressing condition set (kept as is when unchanged). */
  private async writeProgressing(
    status: ConditionStatus,
    reason: string,
    message: string,
  ): Promise<void> {
    await this.writeStatus(this.withProgressing(status, reason, message));
  }

  /** A copy of the status with the Progressing condition set (kept as is when unchanged). */
  private withProgressing(
    status: ConditionStatus,
    reason: string,
    message: string,
  ): DeploymentStatus {
    const next = this.statusCopy();
    setCondition(next, newCondition(PROGRESSING, status, reason, message, this.deps.now()));
    return next;
  }

  private statusCopy(): DeploymentStatus {
    return structuredClone(this.d.status ?? {});
  }

  async writeStatus(status: DeploymentStatus): Promise<void> {
    const next = { ...this.d, status: normalizeStatus(status) };
    const written = await this.deps.client
      .deployments(this.namespace)
      .updateStatus(deploymentObject(next), { signal: this.deps.signal });
    this.d = { ...this.d, metadata: written.metadata, status: written.status ?? {} };
  }
}

/** The new ReplicaSet's annotations for this Deployment's current size (see annotations.ts). */
function desiredReplicaSetAnnotations(
  d: Readonly<Deployment>,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
): boolean {
  const desired = desiredReplicas(d);
  return setNewReplicaSetAnnotations(d, rs, newRevision, exists, {
    desired,
    maxReplicas: desired + maxSurge(d),
  });
}

/** The Deployment with its type meta, which lists leave off but owner refs and events need. */
export function deploymentObject(d: Readonly<Deployment>): Deployment {
  return { ...d, apiVersion: 'apps/v1', kind: 'Deployment' };
}
