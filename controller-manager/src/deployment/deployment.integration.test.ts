// The Deployment controller against a real apiserver with the ReplicaSet controller running and
// no kubelets: a fake kubelet (./testing/fake-kubelet.ts) marks pods Ready. Rollouts are watched
// pod by pod to check the strategy's bounds at every observed moment; rollback and status go
// through real kubectl.
import { mkdtemp, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Deployment, Pod, ReplicaSet } from '@skiff/api';
import { makeDeployment, makePod } from '@skiff/api/testing';
import { findKubectl, kubectlAt } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startControllerManager } from '../app/controller-manager.js';
import { defaultOptions } from '../app/options.js';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';
import { startFakeKubelet } from './testing/fake-kubelet.js';

const ns = 'default';

function template(image: string) {
  return makePod().container('web', { image }).template({ app: 'web' });
}

function deployment(replicas: number, image: string) {
  return makeDeployment().name('web').namespace(ns).replicas(replicas).template(template(image));
}

async function startCluster() {
  const api = await startApiServer();
  await startControllerManagerFor(api, { controllers: ['replicaset', 'deployment'] });
  return api;
}

async function withFakeKubelet(client: Client) {
  const errors: string[] = [];
  const kubelet = await startFakeKubelet(client, ns, { onError: (m) => errors.push(m) });
  onTestFinished(() => kubelet.stop());
  return errors;
}

/** Waits until the Deployment's current generation is fully rolled out with `image`. */
function rolledOut(client: Client, replicas: number, image: string) {
  return eventually(
    () => client.deployments(ns).get('web'),
    (d) =>
      d.spec.template.spec?.containers[0]?.image === image &&
      (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
      d.status?.updatedReplicas === replicas &&
      d.status.replicas === replicas &&
      d.status.availableReplicas === replicas,
    `rolled out ${image}`,
  );
}

const setImage = (client: Client, image: string) =>
  client
    .deployments(ns)
    .patch(
      'web',
      { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } },
      { type: 'strategic' },
    );

/** Follows the namespace's pods through a watch, recording what every moment looked like. */
async function observePods(client: Client) {
  const list = await client.pods(ns).list();
  const live = new Map<string, Readonly<Pod>>();
  for (const pod of list.items) live.set(pod.metadata.name ?? '', pod);
  const moments: { total: number; ready: number; images: Set<string> }[] = [];
  const record = () => {
    const pods = [...live.values()].filter((p) => !p.metadata.deletionTimestamp);
    moments.push({
      total: pods.length,
      ready: pods.filter((p) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      ).length,
      images: new Set(pods.map((p) => p.spec.containers[0]?.image ?? '')),
    });
  };
  record();
  const watch = await client.pods(ns).watch({ resourceVersion: list.metadata?.resourceVersion });
  const loop = (async () => {
    for await (const event of watch) {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') {
        live.set(event.object.metadata.name ?? '', event.object);
      } else if (event.type === 'DELETED') {
        live.delete(event.object.metadata.name ?? '');
      } else continue;
      record();
    }
  })();
  return {
    moments,
    stop: async () => {
      watch.stop();
      await loop;
      return moments;
    },
  };
}

/** Follows the ReplicaSets: how many pods they ask for together, at every observed moment. */
async function observeReplicaSetSizes(client: Client) {
  const list = await client.replicaSets(ns).list();
  const sizes = new Map<string, number>();
  for (const rs of list.items) sizes.set(rs.metadata.name ?? '', rs.spec.replicas ?? 1);
  const totals: number[] = [];
  const record = () => totals.push([...sizes.values()].reduce((a, b) => a + b, 0));
  record();
  const watch = await client
    .replicaSets(ns)
    .watch({ resourceVersion: list.metadata?.resourceVersion });
  const loop = (async () => {
    for await (const event of watch) {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') {
        sizes.set(event.object.metadata.name ?? '', event.object.spec.replicas ?? 1);
      } else if (event.type === 'DELETED') {
        sizes.delete(event.object.metadata.name ?? '');
      } else continue;
      record();
    }
  })();
  return {
    stop: async () => {
      watch.stop();
      await loop;
      return totals;
    },
  };
}

const replicaSetsOf = async (client: Client): Promise<ReplicaSet[]> =>
  (await client.replicaSets(ns).list()).items.sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  );

const revision = (obj: Readonly<ReplicaSet | Deployment>) =>
  obj.metadata.annotations?.['deployment.kubernetes.io/revision'];

// A real apiserver and controller-manager: each wait is for a real condition (`eventually`, up
// to 60 s); the test gets the time a loaded 2-core machine needs.
describe('Deployment controller on a real apiserver', { timeout: 120_000 }, () => {
  it.each([
    // replicas, maxSurge, maxUnavailable → at most pods, at least ready (Kubernetes' rounding:
    // surge up, unavailable down)
    [6, 2, 1, 8, 5],
    [10, '25%', '25%', 13, 8],
    [4, 1, 0, 5, 4],
    [4, 0, 1, 4, 3],
  ] as const)(
    'rolls %d pods from template A to B with maxSurge %s, maxUnavailable %s: at most %d pods and at least %d ready at every observed moment',
    async (replicas, surge, unavailable, mostPods, leastReady) => {
      const api = await startCluster();
      const kubeletErrors = await withFakeKubelet(api.client);
      await api.client.deployments(ns).create(
        deployment(replicas, 'nginx:1')
          .strategy({
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable },
          })
          .obj(),
      );
      await rolledOut(api.client, replicas, 'nginx:1');

      const observer = await observePods(api.client);
      const sizes = await observeReplicaSetSizes(api.client);
      await setImage(api.client, 'nginx:2');
      const done = await rolledOut(api.client, replicas, 'nginx:2');
      // The old pods are gone once status says so; let the watch catch up with the last one.
      await eventually(
        async () => observer.moments.at(-1),
        (m) => m?.total === replicas && m.images.size === 1 && m.images.has('nginx:2'),
        'the watch to see only new pods',
      );
      const moments = await observer.stop();
      const totals = await sizes.stop();

      // Every pod created and deleted was a moment of its own, and each one kept both bounds.
      expect(moments.length).toBeGreaterThan(replicas * 2);
      expect(moments.filter((m) => m.total > mostPods)).toEqual([]);
      expect(moments.filter((m) => m.ready < leastReady)).toEqual([]);
      // The surge was used: the ReplicaSets together asked for that many pods at some point.
      expect(Math.max(...totals)).toBe(mostPods);
      expect(kubeletErrors).toEqual([]);
      // Revision annotations went out with status writes, which bump no generation: the
      // Deployment is at its second generation (create, template change), fully observed.
      expect(revision(done)).toBe('2');
      expect(done.metadata.generation).toBe(2);
      expect(done.status?.observedGeneration).toBe(2);
    },
  );

  it('names, labels and annotates the ReplicaSets of a rollout, and reports its conditions', async () => {
    const api = await startCluster();
    await withFakeKubelet(api.client);
    const replicas = 6;
    await api.client.deployments(ns).create(
      deployment(replicas, 'nginx:1')
        .strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } })
        .obj(),
    );
    await rolledOut(api.client, replicas, 'nginx:1');
    await setImage(api.client, 'nginx:2');
    const done = await rolledOut(api.client, replicas, 'nginx:2');

    const [oldRS, newRS] = await replicaSetsOf(api.client);
    const hash = newRS?.metadata.labels?.['pod-template-hash'] ?? '';
    expect(newRS?.metadata.name).toBe(`web-${hash}`);
    expect(newRS?.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(newRS?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/desired-replicas': '6',
      'deployment.kubernetes.io/max-replicas': '8',
    });
    expect(oldRS?.spec.replicas).toBe(0);
    expect(oldRS && revision(oldRS)).toBe('1');
    expect(revision(done)).toBe('2');
    expect(done.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual(
      expect.arrayContaining([
        ['Available', 'True', 'MinimumReplicasAvailable'],
        ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ]),
    );
    const events = (await api.client.events(ns).list()).items.filter(
      (e) => e.reason === 'ScalingReplicaSet',
    );
    expect(events.map((e) => e.message)).toContain(
      `Scaled up replica set ${newRS?.metadata.name ?? ''} from 0 to 2`,
    );
  });

  it('Recreate: old pods are all gone before any new pod exists', async () => {
    const api = await startCluster();
    await withFakeKubelet(api.client);
    await api.client
      .deployments(ns)
      .create(deployment(3, 'nginx:1').strategy({ type: 'Recreate' }).obj());
    await rolledOut(api.client, 3, 'nginx:1');

    const observer = await observePods(api.client);
    await setImage(api.client, 'nginx:2');
    await rolledOut(api.client, 3, 'nginx:2');
    await eventually(
      async () => observer.moments.at(-1),
      (m) => m?.total === 3 && m.images.has('nginx:2') && m.images.size === 1,
      'the watch to see the new pods',
    );
    const moments = await observer.stop();
    expect(moments.some((m) => m.total === 0)).toBe(true);
    expect(moments.filter((m) => m.images.size > 1)).toEqual([]);
  });

  it('while paused: scales, leaves the new template unrolled; resumed: rolls it out', async () => {
    const api = await startCluster();
    await withFakeKubelet(api.client);
    await api.client.deployments(ns).create(deployment(2, 'nginx:1').obj());
    await rolledOut(api.client, 2, 'nginx:1');
    await api.client.deployments(ns).patch('web', { spec: { paused: true } }, { type: 'merge' });
    await setImage(api.client, 'nginx:2');
    await api.client.deployments(ns).patch('web', { spec: { replicas: 4 } }, { type: 'merge' });
    const paused = await eventually(
      () => api.client.deployments(ns).get('web'),
      (d) => d.status?.availableReplicas === 4,
      'four available while paused',
    );
    // Paused: the new template is not rolled out, yet the scale went through.
    expect(paused.status?.updatedReplicas ?? 0).toBe(0);
    expect(paused.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    expect(await replicaSetsOf(api.client)).toHaveLength(1);

    await api.client.deployments(ns).patch('web', { spec: { paused: false } }, { type: 'merge' });
    await rolledOut(api.client, 4, 'nginx:2');
  });

  it('a controller-manager stopped mid-rollout and started again finishes it, nothing doubled', async () => {
    const api = await startApiServer();
    await withFakeKubelet(api.client);
    const stopFirst = await startStoppableControllerManager(api.url);
    const replicas = 10;
    await api.client.deployments(ns).create(
      deployment(replicas, 'nginx:1')
        .strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } })
        .obj(),
    );
    await rolledOut(api.client, replicas, 'nginx:1');
    await setImage(api.client, 'nginx:2');
    await eventually(
      () => replicaSetsOf(api.client),
      (sets) => sets.length === 2 && (sets[1]?.status?.availableReplicas ?? 0) > 0,
      'the rollout under way',
    );
    await stopFirst();

    await startControllerManagerFor(api, { controllers: ['replicaset', 'deployment'] });
    await rolledOut(api.client, replicas, 'nginx:2');
    const sets = await replicaSetsOf(api.client);
    expect(sets.map((rs) => [revision(rs), rs.spec.replicas])).toEqual([
      ['1', 0],
      ['2', replicas],
    ]);
    await eventually(
      async () => (await api.client.pods(ns).list()).items,
      (pods) => pods.length === replicas,
      `exactly ${replicas} pods`,
    );
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    const api = await startCluster();
    await api.client
      .deployments(ns)
      .create(deployment(2, 'nginx:1').spec({ progressDeadlineSeconds: 2 }).obj());
    const stuck = await eventually(
      () => api.client.deployments(ns).get('web'),
      (d) => d.status?.conditions?.some((c) => c.reason === 'ProgressDeadlineExceeded') ?? false,
      'the deadline to pass',
    );
    expect(stuck.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      message: `ReplicaSet "${(await replicaSetsOf(api.client))[0]?.metadata.name ?? ''}" has timed out progressing.`,
    });
  });
});

// kubectl 1.31: 1.32+ speaks protobuf to the apiserver, which skiff is still learning.
const kubectlBinary = findVersionedKubectl('1.31');

describe.skipIf(kubectlBinary === undefined)('kubectl rollout against skiff', () => {
  it('undo rolls back to the previous revision and status prints what it prints on Kubernetes', async () => {
    const api = await startCluster();
    await withFakeKubelet(api.client);
    const home = await mkdtemp(join(tmpdir(), 'skiff-rollout-'));
    onTestFinished(() => rm(home, { recursive: true, force: true }));
    const kubectl = kubectlAt(kubectlBinary ?? 'kubectl', { server: api.url }, home);

    await api.client.deployments(ns).create(deployment(3, 'nginx:1').obj());
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain(
      'deployment "web" successfully rolled out',
    );
    await setImage(api.client, 'nginx:2');
    await rolledOut(api.client, 3, 'nginx:2');

    expect(await kubectl('rollout', 'undo', 'deployment/web')).toBe(
      'deployment.apps/web rolled back\n',
    );
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    expect(status.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    const back = await rolledOut(api.client, 3, 'nginx:1');
    // The ReplicaSet of revision 1 was reused and is now revision 3, remembering where it was.
    expect(revision(back)).toBe('3');
    const sets = await replicaSetsOf(api.client);
    expect(sets).toHaveLength(2);
    const first = sets[0];
    expect(first?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(first?.spec.replicas).toBe(3);
    const history = await kubectl('rollout', 'history', 'deployment/web');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);

    // rollout restart is a template change (an annotation): a new ReplicaSet, revision 4.
    await kubectl('rollout', 'restart', 'deployment/web');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    expect(await replicaSetsOf(api.client)).toHaveLength(3);
    expect(revision(await api.client.deployments(ns).get('web'))).toBe('4');
  });

  it('status waits on unavailable replicas, then reports the exceeded progress deadline', async () => {
    const api = await startCluster();
    const home = await mkdtemp(join(tmpdir(), 'skiff-rollout-'));
    onTestFinished(() => rm(home, { recursive: true, force: true }));
    const kubectl = kubectlAt(kubectlBinary ?? 'kubectl', { server: api.url }, home);
    // No kubelet: the pods exist but never become ready.
    await api.client
      .deployments(ns)
      .create(deployment(2, 'nginx:1').spec({ progressDeadlineSeconds: 3 }).obj());
    const failure = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s').then(
      () => undefined,
      (err: unknown) => err as { stdout?: string; message?: string },
    );
    expect(failure?.stdout).toContain(
      'Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...',
    );
    expect(failure?.message).toContain('deployment "web" exceeded its progress deadline');
  });
});

/** A controller-manager the test stops itself (startControllerManagerFor stops at the end). */
async function startStoppableControllerManager(url: string): Promise<() => Promise<void>> {
  const stop = new AbortController();
  const client = createClient({ server: url, qps: 200, burst: 400 });
  const run = await startControllerManager(
    {
      ...defaultOptions,
      controllers: ['replicaset', 'deployment'],
      leaderElect: false,
      port: 0,
      bindAddress: '127.0.0.1',
    },
    stop.signal,
    { client, registry: new Registry(), log: () => undefined },
  );
  return async () => {
    stop.abort();
    try {
      await run.done;
    } finally {
      client.close();
    }
  };
}

function findVersionedKubectl(minor: string): string | undefined {
  const kubectl = findKubectl();
  return kubectl && join(dirname(realpathSync(kubectl)), `kubectl.${minor}`);
}
