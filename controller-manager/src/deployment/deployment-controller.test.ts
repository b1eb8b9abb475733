// The Deployment controller's sync, sample-controller style: seed the listers with a Deployment
// and its ReplicaSets, reconcile the key once on the fake client and a fake clock, and assert
// on the actions, events and written objects.
import {
  apiErrors,
  type Deployment,
  type DeploymentCondition,
  type Pod,
  type ReplicaSet,
} from '@skiff/api';
import { makeDeployment, makePod, makeReplicaSet } from '@skiff/api/testing';
import type { Action } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../meta/time.js';
import { listerOf, unitFixture } from '../testing/fixture.js';
import { REVISION_ANNOTATION } from './annotations.js';
import { DeploymentController } from './deployment-controller.js';
import { computeHash } from './hash.js';

const ns = 'ns';
const templateOf = (image: string) =>
  makePod().container('web', { image }).template({ app: 'web' });

const deployment = (replicas: number, image = 'nginx:2') =>
  makeDeployment()
    .name('web')
    .namespace(ns)
    .uid('d-uid')
    .generation(1)
    .replicas(replicas)
    .template(templateOf(image))
    .strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } })
    .spec({ revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });

/** A ReplicaSet of the Deployment: `image`'s template with its hash, `replicas` all available. */
function ownedRS(
  owner: Deployment,
  image: string,
  replicas: number,
  revision: number,
  created: string,
  available = replicas,
): ReplicaSet {
  const template = templateOf(image);
  const hash = computeHash(template);
  template.metadata = { labels: { app: 'web', 'pod-template-hash': hash } };
  return makeReplicaSet()
    .name(`web-${hash}`)
    .namespace(ns)
    .uid(`rs-${image}`)
    .generation(1)
    .labels({ app: 'web', 'pod-template-hash': hash })
    .selector({ matchLabels: { app: 'web', 'pod-template-hash': hash } })
    .template(template)
    .replicas(replicas)
    .annotations({
      [REVISION_ANNOTATION]: String(revision),
      'deployment.kubernetes.io/desired-replicas': String(owner.spec.replicas ?? 1),
      'deployment.kubernetes.io/max-replicas': String((owner.spec.replicas ?? 1) + 1),
    })
    .creationTimestamp(created)
    .controlledBy(owner)
    .status({
      replicas,
      readyReplicas: available,
      availableReplicas: available,
      observedGeneration: 1,
    })
    .obj();
}

function setup(d: Deployment, replicaSets: ReplicaSet[] = []) {
  const f = unitFixture([d, ...replicaSets]);
  const controller = new DeploymentController({
    ...f.context,
    client: f.client,
    deployments: listerOf([d]),
    replicaSets: listerOf(replicaSets),
    pods: listerOf<Pod>([]),
    queue: f.queue,
  });
  const sync = () => controller.reconcile({ namespace: ns, name: 'web' }, f.signal);
  return { ...f, controller, sync };
}

const summary = (actions: Action[]) =>
  actions.map((a) =>
    [a.verb, a.resource, a.subresource ?? a.name ?? ''].filter((x) => x !== '').join(' '),
  );
const writtenStatus = (actions: Action[]) =>
  (actions.filter((a) => a.subresource === 'status').at(-1)?.object as Deployment | undefined)
    ?.status;
const condition = (d: Deployment['status'], type: string) =>
  d?.conditions?.find((c) => c.type === type);

describe('Deployment controller sync', () => {
  it('creates the first ReplicaSet named after the template hash, at full size, revision 1', async () => {
    const d = deployment(3).obj();
    const t = setup(d);
    await t.sync();
    const hash = computeHash(d.spec.template);
    expect(summary(t.client.actions())).toEqual([
      `create replicasets web-${hash}`,
      'update deployments status',
      'update deployments status',
    ]);
    const rs = t.client.actions()[0]?.object as ReplicaSet;
    expect(rs.metadata).toMatchObject({
      name: `web-${hash}`,
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations: {
        [REVISION_ANNOTATION]: '1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
      },
      ownerReferences: [
        expect.objectContaining({ kind: 'Deployment', uid: 'd-uid', controller: true }),
      ],
    });
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    // As in Kubernetes: the revision goes with the first status write (deployments/status
    // keeps annotations), not in a write to the Deployment, which would bump its generation.
    const first = t.client.actions()[1]?.object as Deployment;
    expect(first.metadata.annotations).toEqual({ [REVISION_ANNOTATION]: '1' });
    expect(condition(first.status, 'Progressing')?.reason).toBe('NewReplicaSetCreated');
    expect(t.events).toEqual([
      {
        object: 'Deployment/web',
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set web-${hash} from 0 to 3`,
      },
    ]);
    const status = writtenStatus(t.client.actions());
    expect(condition(status, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "web-${hash}"`,
    });
    expect(condition(status, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });

  it('starts a rollout within both bounds: one new pod above desired, one old pod less', async () => {
    const d = deployment(4).obj();
    const old = ownedRS(d, 'nginx:1', 4, 1, '2025-01-01T00:00:00Z');
    const t = setup(d, [old]);
    await t.sync();
    const created = t.client.actions().find((a) => a.verb === 'create')?.object as ReplicaSet;
    expect(created.spec.replicas).toBe(1);
    expect(created.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    // 4 old pods are available and 3 must stay (maxUnavailable 1): one old pod may go at once.
    const scaled = t.client
      .actions()
      .filter((a) => a.verb === 'update' && a.resource === 'replicasets')
      .map((a) => (a.object as ReplicaSet).spec.replicas);
    expect(scaled).toEqual([3]);
    expect(t.events.map((e) => e.message)).toEqual([
      `Scaled up replica set ${created.metadata.name ?? ''} from 0 to 1`,
      `Scaled down replica set ${old.metadata.name ?? ''} from 4 to 3`,
    ]);
  });

  it('scales an old ReplicaSet down within maxUnavailable, with the event Kubernetes records', async () => {
    const d = deployment(4).obj();
    const old = ownedRS(d, 'nginx:1', 4, 1, '2025-01-01T00:00:00Z');
    const cur = ownedRS(d, 'nginx:2', 1, 2, '2025-01-02T00:00:00Z', 0);
    const t = setup(d, [old, cur]);
    await t.sync();
    const scaled = t.client
      .actions()
      .find((a) => a.verb === 'update' && a.resource === 'replicasets');
    expect((scaled?.object as ReplicaSet).metadata.name).toBe(old.metadata.name);
    expect((scaled?.object as ReplicaSet).spec.replicas).toBe(3);
    expect(t.events.map((e) => e.message)).toEqual([
      `Scaled down replica set ${old.metadata.name ?? ''} from 4 to 3`,
    ]);
    expect(condition(writtenStatus(t.client.actions()), 'Progressing')?.reason).toBe(
      'ReplicaSetUpdated',
    );
  });

  it('rolls back by reusing the ReplicaSet with the same template and raising its revision', async () => {
    // What `kubectl rollout undo` leaves: the Deployment's template is revision 1's again.
    const d = deployment(2, 'nginx:1').obj();
    const first = ownedRS(d, 'nginx:1', 0, 1, '2025-01-01T00:00:00Z');
    const second = ownedRS(d, 'nginx:2', 2, 2, '2025-01-02T00:00:00Z');
    const t = setup(d, [first, second]);
    await t.sync();
    const update = t.client
      .actions()
      .find((a) => a.verb === 'update' && a.resource === 'replicasets');
    expect((update?.object as ReplicaSet).metadata.name).toBe(first.metadata.name);
    expect((update?.object as ReplicaSet).metadata.annotations).toMatchObject({
      [REVISION_ANNOTATION]: '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(t.client.actions().some((a) => a.verb === 'create')).toBe(false);
  });

  it('deletes the oldest empty ReplicaSets beyond revisionHistoryLimit once complete', async () => {
    const d = deployment(2).spec({ revisionHistoryLimit: 1 }).obj();
    const sets = [
      ownedRS(d, 'nginx:a', 0, 1, '2025-01-01T00:00:00Z'),
      ownedRS(d, 'nginx:b', 0, 2, '2025-01-02T00:00:00Z'),
      ownedRS(d, 'nginx:c', 0, 3, '2025-01-03T00:00:00Z'),
      ownedRS(d, 'nginx:2', 2, 4, '2025-01-04T00:00:00Z'),
    ];
    d.metadata.annotations = { [REVISION_ANNOTATION]: '4' };
    d.status = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
    const t = setup(d, sets);
    await t.sync();
    expect(summary(t.client.actions()).filter((a) => a.startsWith('delete'))).toEqual([
      `delete replicasets ${sets[0]?.metadata.name ?? ''}`,
      `delete replicasets ${sets[1]?.metadata.name ?? ''}`,
    ]);
  });

  it('marks a rollout without progress for progressDeadlineSeconds ProgressDeadlineExceeded', async () => {
    const d = deployment(2).obj();
    const cur = ownedRS(d, 'nginx:2', 2, 1, '2025-01-01T00:00:00Z', 0);
    // Fixtures share the fake clock's start: read it from one, use it for the next.
    const stale = rfc3339(unitFixture().clock.now() - 601_000);
    const progressing: DeploymentCondition = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${cur.metadata.name ?? ''}" is progressing.`,
      lastUpdateTime: stale,
      lastTransitionTime: stale,
    };
    d.metadata.annotations = { [REVISION_ANNOTATION]: '1' };
    d.status = {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      unavailableReplicas: 2,
      conditions: [progressing],
    };
    const t2 = setup(d, [cur]);
    await t2.sync();
    expect(condition(writtenStatus(t2.client.actions()), 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${cur.metadata.name ?? ''}" has timed out progressing.`,
    });
  });

  it('looks again when the deadline will have passed if nothing else happens', async () => {
    const d = deployment(2).obj();
    const cur = ownedRS(d, 'nginx:2', 2, 1, '2025-01-01T00:00:00Z', 0);
    const t = setup(d, [cur]);
    await t.sync();
    // The first sync wrote status; seed what it wrote and sync again with nothing new.
    const status = writtenStatus(t.client.actions());
    const seen = {
      ...d,
      metadata: { ...d.metadata, annotations: { [REVISION_ANNOTATION]: '1' } },
      status,
    };
    const again = setup(seen, [cur]);
    await again.clock.advance(100_000);
    const result = await again.sync();
    expect(again.client.actions().filter((a) => a.verb !== 'get')).toEqual([]);
    expect(result).toEqual({ requeueAfter: 501_000 });
  });

  it('while paused, scales the current ReplicaSet and does not roll out the new template', async () => {
    const d = deployment(5).paused().obj();
    const old = ownedRS(d, 'nginx:1', 3, 1, '2025-01-01T00:00:00Z');
    d.metadata.annotations = { [REVISION_ANNOTATION]: '1' };
    const t = setup(d, [old]);
    await t.sync();
    expect(t.client.actions().some((a) => a.verb === 'create')).toBe(false);
    const scaled = t.client
      .actions()
      .find((a) => a.verb === 'update' && a.resource === 'replicasets');
    expect((scaled?.object as ReplicaSet).spec.replicas).toBe(5);
    const status = writtenStatus(t.client.actions());
    expect(condition(status, 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
  });

  it('shares a resize mid-rollout between the old and new ReplicaSets by their sizes', async () => {
    // Kubernetes' documented example: 10 replicas (maxSurge 3) mid-rollout, old 8 and new 5,
    // resized to 15: the 5 extra pods go 3 to the old ReplicaSet and 2 to the new one.
    const before = deployment(10).strategy({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 3, maxUnavailable: 2 },
    });
    const base = before.obj();
    const old = ownedRS(base, 'nginx:1', 8, 1, '2025-01-01T00:00:00Z');
    const cur = ownedRS(base, 'nginx:2', 5, 2, '2025-01-02T00:00:00Z', 0);
    for (const rs of [old, cur]) {
      rs.metadata.annotations = {
        ...rs.metadata.annotations,
        'deployment.kubernetes.io/desired-replicas': '10',
        'deployment.kubernetes.io/max-replicas': '13',
      };
    }
    const d = before.replicas(15).obj();
    d.metadata.annotations = { [REVISION_ANNOTATION]: '2' };
    const t = setup(d, [old, cur]);
    await t.sync();
    const scaled = t.client
      .actions()
      .filter((a) => a.verb === 'update' && a.resource === 'replicasets')
      .map((a) => {
        const rs = a.object as ReplicaSet;
        return [
          rs.metadata.name,
          rs.spec.replicas,
          rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'],
        ];
      });
    expect(scaled).toEqual([
      [old.metadata.name, 11, '18'],
      [cur.metadata.name, 7, '18'],
    ]);
    expect(t.events.map((e) => e.message)).toEqual([
      `Scaled up replica set ${old.metadata.name ?? ''} from 8 to 11`,
      `Scaled up replica set ${cur.metadata.name ?? ''} from 5 to 7`,
    ]);
  });

  it('bumps collisionCount when its ReplicaSet name is taken by another template', async () => {
    const d = deployment(1).obj();
    const hash = computeHash(d.spec.template);
    const squatter = makeReplicaSet()
      .name(`web-${hash}`)
      .namespace(ns)
      .uid('other')
      .labels({ app: 'other' })
      .selectorLabels({ app: 'other' })
      .obj();
    const f = unitFixture([d, squatter]);
    const controller = new DeploymentController({
      ...f.context,
      client: f.client,
      deployments: listerOf([d]),
      replicaSets: listerOf([squatter]),
      pods: listerOf<Pod>([]),
      queue: f.queue,
    });
    await expect(controller.reconcile({ namespace: ns, name: 'web' }, f.signal)).rejects.toThrow();
    expect(writtenStatus(f.client.actions())?.collisionCount).toBe(1);
  });

  it('reports a refused ReplicaSet with ReplicaSetCreateError and the apiserver message', async () => {
    const d = deployment(2).obj();
    const t = setup(d);
    const refusal = apiErrors.forbidden(
      { group: 'apps', resource: 'replicasets' },
      '',
      'exceeded quota: count/replicasets.apps',
    );
    t.client.prependReactor('create', 'replicasets', () => ({ error: refusal }));
    await expect(t.sync()).rejects.toThrow('exceeded quota');
    const message = `Failed to create new replica set "web-${computeHash(d.spec.template)}": ${refusal.message}`;
    expect(condition(writtenStatus(t.client.actions()), 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ReplicaSetCreateError',
      message,
    });
    expect(t.events).toEqual([
      { object: 'Deployment/web', type: 'Warning', reason: 'ReplicaSetCreateError', message },
    ]);
  });

  it('warns about a Deployment selecting every pod and does nothing else', async () => {
    const d = deployment(1).selector({}).obj();
    const t = setup(d);
    await t.sync();
    expect(t.events.map((e) => e.reason)).toEqual(['SelectingAll']);
    expect(summary(t.client.actions())).toEqual(['update deployments status']);
  });
});
