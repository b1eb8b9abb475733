// The garbage collector against a real apiserver with the ReplicaSet controller running and no
// kubelets: a ReplicaSet of 3 pods deleted by real kubectl 1.31 with each --cascade mode, and an
// owner that is a custom resource (discovered, not built in).
import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Pod } from '@skiff/api';
import { isNotFound } from '@skiff/api';
import { makeConfigMap, makeReplicaSet } from '@skiff/api/testing';
import { findKubectl, kubectlAt } from '@skiff/apiserver/testing';
import type { Client, KubeObject } from '@skiff/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';
import { installWidgets, widgets as widgetResource } from '../testing/widget-crd.js';

const ns = 'default';
const HOLD = 'example.com/hold';

// kubectl 1.31: 1.32+ speaks protobuf to the apiserver, which skiff is still learning.
function findKubectl131(): string | undefined {
  const kubectl = findKubectl();
  return kubectl && join(dirname(realpathSync(kubectl)), 'kubectl.1.31');
}
const kubectlBinary = findKubectl131();

async function startCluster() {
  const api = await startApiServer();
  await startControllerManagerFor(api, { controllers: ['replicaset', 'garbagecollector'] });
  const home = await mkdtemp(join(tmpdir(), 'skiff-gc-'));
  onTestFinished(() => rm(home, { recursive: true, force: true }));
  const kubectl = kubectlAt(kubectlBinary ?? 'kubectl', { server: api.url }, home);
  return { ...api, kubectl };
}

const podsOf = async (client: Client) =>
  (await client.pods(ns).list({ labelSelector: 'app=web' })).items;

/** A ReplicaSet of 3 and its 3 pods, owned by it. */
async function replicaSetWithPods(client: Client) {
  const rs = await client.replicaSets(ns).create(makeReplicaSet().name('web').replicas(3).obj());
  const pods = await eventually(
    () => podsOf(client),
    (p) => p.length === 3,
    '3 pods',
  );
  expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)).toBe(true);
  return rs;
}

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

const alive = (pods: readonly Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);

describe.skipIf(kubectlBinary === undefined)(
  'garbage collector with kubectl delete --cascade',
  () => {
    it('background: the ReplicaSet goes at once, its pods after it', async () => {
      const { client, kubectl } = await startCluster();
      await replicaSetWithPods(client);
      await kubectl('delete', 'replicaset', 'web', '--cascade=background');
      expect(await gone(() => client.replicaSets(ns).get('web'))).toBe(true);
      await eventually(
        () => podsOf(client),
        (p) => p.length === 0,
        'the pods deleted',
      );
    }, 120_000);

    it('foreground: the ReplicaSet stays with foregroundDeletion until its pods are gone', async () => {
      const { client, kubectl } = await startCluster();
      await replicaSetWithPods(client);
      // One pod is held by a finalizer, so the moment "pods going, owner waiting" lasts.
      const [held] = await podsOf(client);
      const heldName = held?.metadata.name ?? '';
      await client
        .pods(ns)
        .patch(heldName, { metadata: { finalizers: [HOLD] } }, { type: 'merge' });

      await kubectl('delete', 'replicaset', 'web', '--cascade=foreground', '--wait=false');
      await eventually(
        () => podsOf(client),
        (p) => alive(p).length === 0 && p.length === 1,
        'only the held pod left, terminating',
      );
      const waiting = await client.replicaSets(ns).get('web');
      expect(waiting.metadata.deletionTimestamp).toBeDefined();
      expect(waiting.metadata.finalizers).toContain('foregroundDeletion');

      await client.pods(ns).patch(heldName, { metadata: { finalizers: [] } }, { type: 'merge' });
      await eventually(
        () => gone(() => client.replicaSets(ns).get('web')),
        (isGone) => isGone,
        'the ReplicaSet gone once its pods are',
      );
      expect(await podsOf(client)).toEqual([]);
    }, 120_000);

    it('orphan: the ReplicaSet goes and its pods stay, without owner references', async () => {
      const { client, kubectl } = await startCluster();
      await replicaSetWithPods(client);
      await kubectl('delete', 'replicaset', 'web', '--cascade=orphan');
      expect(await gone(() => client.replicaSets(ns).get('web'))).toBe(true);
      const pods = await podsOf(client);
      expect(alive(pods)).toHaveLength(3);
      expect(pods.map((p) => p.metadata.ownerReferences ?? [])).toEqual([[], [], []]);
    }, 120_000);
  },
);

describe('garbage collector with custom resources', () => {
  it('deletes a dependent naming a uid that never existed, keeps the real one, and deletes it when its custom-resource owner goes', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['garbagecollector'] });
    const { client } = api;
    await installWidgets(client);
    const widgets = client.resource<KubeObject>(widgetResource, ns);
    const widget = await widgets.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    });
    const owned = (name: string, uid: string) =>
      makeConfigMap()
        .name(name)
        .namespace(ns)
        .ownerReference({ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid })
        .obj();
    await client.configMaps(ns).create(owned('owned', widget.metadata?.uid ?? ''));
    // A reference to a uid that never existed, under the name of a live Widget: dangling.
    await client.configMaps(ns).create(owned('dangling', 'never-existed'));
    await eventually(
      () => gone(() => client.configMaps(ns).get('dangling')),
      (isGone) => isGone,
      'the dependent of a uid that never existed deleted',
    );
    expect(await gone(() => client.configMaps(ns).get('owned'))).toBe(false);

    await widgets.delete('w', { propagationPolicy: 'Background' });
    await eventually(
      () => gone(() => client.configMaps(ns).get('owned')),
      (isGone) => isGone,
      'the Widget’s dependent deleted',
    );
  }, 120_000);
});

describe('garbage collector started after the deletes', () => {
  it('finishes background, foreground and orphan deletions it did not see happen, from the informers alone', async () => {
    const api = await startApiServer();
    const { client } = api;
    await startControllerManagerFor(api, { controllers: ['replicaset'] });
    const rsOf = (app: string) =>
      makeReplicaSet().name(app).selectorLabels({ app }).replicas(2).obj();
    const pods = (app: string) => client.pods(ns).list({ labelSelector: `app=${app}` });
    await client.replicaSets(ns).create(rsOf('bg'));
    await client.replicaSets(ns).create(rsOf('orph'));
    await client.replicaSets(ns).create(rsOf('fg'));
    for (const app of ['bg', 'orph', 'fg']) {
      await eventually(
        () => pods(app),
        (l) => l.items.length === 2,
        `2 pods of ${app}`,
      );
    }
    await client.replicaSets(ns).delete('bg', { propagationPolicy: 'Background' });
    await client.replicaSets(ns).delete('orph', { propagationPolicy: 'Orphan' });
    await client.replicaSets(ns).delete('fg', { propagationPolicy: 'Foreground' });
    // No collector yet: the owners wait with their finalizers, the pods stay.
    expect((await client.replicaSets(ns).get('orph')).metadata.finalizers).toContain('orphan');
    expect((await client.replicaSets(ns).get('fg')).metadata.finalizers).toContain(
      'foregroundDeletion',
    );
    expect((await pods('bg')).items).toHaveLength(2);

    await startControllerManagerFor(api, { controllers: ['garbagecollector'] });
    await eventually(
      () => pods('bg'),
      (l) => l.items.length === 0,
      'the pods of the deleted ReplicaSet collected',
    );
    await eventually(
      () => gone(() => client.replicaSets(ns).get('orph')),
      (isGone) => isGone,
      'the orphaning ReplicaSet gone',
    );
    await eventually(
      () => gone(() => client.replicaSets(ns).get('fg')),
      (isGone) => isGone,
      'the foreground-deleted ReplicaSet gone',
    );
    expect((await pods('fg')).items).toEqual([]);
    const orphans = (await pods('orph')).items;
    expect(orphans.map((p) => p.metadata.ownerReferences ?? [])).toEqual([[], []]);
  }, 120_000);
});
