// Deletion semantics over HTTP: graceful pod deletion, finalizers, propagation policies,
// preconditions, namespaces (missing, terminating, emptied), on both backends.
import { describe, expect, it } from 'vitest';
import { InterruptibleStorage } from '../storage/testing/interruptible-storage.js';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { finalizeNamespace } from './testing/finalize-namespace.js';
import { kindNamed, objectOf, pod } from './testing/objects.js';

const backends = apiServerBackends();
const pods = '/api/v1/namespaces/default/pods';
const cms = '/api/v1/namespaces/default/configmaps';

describe.each(backends)('deletion on $name storage', (backend) => {
  it('deletes an unbound pod at once', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, pod('web'));
    const res = await client.delete(`${pods}/web`);
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('Pod');
    expect((await client.get(`${pods}/web`)).status).toBe(404);
  });

  it('keeps a bound pod with deletionTimestamp until its kubelet deletes it with grace 0', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, {
      ...pod('web'),
      spec: {
        ...(pod('web').spec as object),
        nodeName: 'node-a',
        terminationGracePeriodSeconds: 20,
      },
    });
    const first = await client.delete(`${pods}/web`);
    expect(first.status).toBe(200);
    expect(first.body.metadata?.deletionTimestamp).toEqual(expect.any(String));
    expect(first.body.metadata?.deletionGracePeriodSeconds).toBe(20);
    const still = await client.get(`${pods}/web`);
    expect(still.status).toBe(200);

    const shorter = await client.delete(`${pods}/web`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 5,
    });
    expect(shorter.body.metadata?.deletionGracePeriodSeconds).toBe(5);

    const confirm = await client.delete(`${pods}/web?gracePeriodSeconds=0`);
    expect(confirm.status).toBe(200);
    expect((await client.get(`${pods}/web`)).status).toBe(404);
  });

  it('keeps an object with finalizers until an update removes the last one', async () => {
    const { client } = await startApi(backend);
    await client.post(cms, {
      ...objectOf(kindNamed('ConfigMap'), 'held'),
      metadata: { name: 'held', finalizers: ['example.com/a', 'example.com/b'] },
    });
    const del = await client.delete(`${cms}/held`);
    expect(del.status).toBe(200);
    expect(del.body.metadata?.deletionTimestamp).toEqual(expect.any(String));
    const one = await client.patch(
      `${cms}/held`,
      [{ op: 'remove', path: '/metadata/finalizers/0' }],
      'application/json-patch+json',
    );
    expect(one.status, one.text).toBe(200);
    expect(one.body.metadata?.finalizers).toEqual(['example.com/b']);
    const last = await client.patch(
      `${cms}/held`,
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    expect(last.status, last.text).toBe(200);
    expect((await client.get(`${cms}/held`)).status).toBe(404);
  });

  it.each([
    ['Foreground', ['foregroundDeletion']],
    ['Orphan', ['orphan']],
  ])(
    'records propagationPolicy=%s as the finalizer the garbage collector acts on',
    async (policy, finalizers) => {
      const { client } = await startApi(backend);
      const kind = kindNamed('Deployment');
      await client.post('/apis/apps/v1/namespaces/default/deployments', objectOf(kind, 'web'));
      const res = await client.delete('/apis/apps/v1/namespaces/default/deployments/web', {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: policy,
      });
      expect(res.status).toBe(200);
      expect(res.body.metadata?.finalizers).toEqual(finalizers);
      expect(res.body.metadata?.deletionTimestamp).toEqual(expect.any(String));
    },
  );

  it('deletes at once with propagationPolicy=Background and answers with a Success Status', async () => {
    const { client } = await startApi(backend);
    await client.post(
      '/apis/apps/v1/namespaces/default/deployments',
      objectOf(kindNamed('Deployment'), 'web'),
    );
    const res = await client.delete(
      '/apis/apps/v1/namespaces/default/deployments/web?propagationPolicy=Background',
    );
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const { client } = await startApi(backend);
    const created = await client.post(cms, objectOf(kindNamed('ConfigMap'), 'c'));
    const wrongUid = await client.delete(`${cms}/c`, { preconditions: { uid: 'nope' } });
    expect(wrongUid.status).toBe(409);
    expect(wrongUid.body.message).toContain('Precondition failed: UID in precondition: nope');
    const wrongRv = await client.delete(`${cms}/c`, { preconditions: { resourceVersion: '1' } });
    expect(wrongRv.status).toBe(409);
    const ok = await client.delete(`${cms}/c`, {
      preconditions: {
        uid: created.body.metadata?.uid,
        resourceVersion: created.body.metadata?.resourceVersion,
      },
    });
    expect(ok.status).toBe(200);
  });

  it('deletes a collection by label selector', async () => {
    const { client } = await startApi(backend);
    for (const [name, app] of [
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
    ]) {
      await client.post(cms, {
        ...objectOf(kindNamed('ConfigMap'), name ?? ''),
        metadata: { name, labels: { app } },
      });
    }
    const res = await client.delete(`${cms}?labelSelector=app%3Dx`);
    expect(res.status).toBe(200);
    expect((res.body.items as unknown[]).length).toBe(2);
    const left = await client.get(cms);
    expect(
      (left.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name),
    ).toEqual(['c']);
  });

  it('refuses to create into a missing namespace with 404', async () => {
    const { client } = await startApi(backend);
    const res = await client.post('/api/v1/namespaces/missing/pods', {
      ...pod('web'),
      metadata: { name: 'web' },
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      reason: 'NotFound',
      message: 'namespaces "missing" not found',
    });
  });

  it('marks a deleted namespace Terminating, refuses new content with 403, and keeps it until it is finalized', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces', objectOf(kindNamed('Namespace'), 'doomed'));
    await client.post(
      '/api/v1/namespaces/doomed/configmaps',
      objectOf(kindNamed('ConfigMap'), 'c', 'doomed'),
    );
    const del = await client.delete('/api/v1/namespaces/doomed');
    expect(del.status).toBe(200);
    expect(del.body.status).toEqual({ phase: 'Terminating' });

    const refused = await client.post(
      '/api/v1/namespaces/doomed/configmaps',
      objectOf(kindNamed('ConfigMap'), 'new', 'doomed'),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      reason: 'Forbidden',
      message:
        'configmaps "new" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    });

    // Emptying it is the controller-manager's namespace controller's job, as in Kubernetes: the
    // apiserver leaves the content and the namespace as they are until /finalize.
    expect((await client.get('/api/v1/namespaces/doomed/configmaps/c')).status).toBe(200);
    expect((await client.get('/api/v1/namespaces/doomed')).body.status).toEqual({
      phase: 'Terminating',
    });
    expect((await finalizeNamespace(client, 'doomed')).status).toBe(200);
    expect((await client.get('/api/v1/namespaces/doomed')).status).toBe(404);
  });

  it('reads namespaces its cache has not seen from storage, and refuses once the cache sees Terminating', async () => {
    // NamespaceLifecycle reads the namespace watch cache. The second apiserver's cache is held
    // behind (its storage watches interrupted) while the first changes namespaces, so what it
    // answers meanwhile shows both sides of that choice.
    const first = await startApi(backend);
    const held = new InterruptibleStorage(first.storage);
    // Its caches warn about the interrupted watches: expected here, so kept out of the fixture's
    // unexpected-error check.
    const secondLog: string[] = [];
    const second = await startApi(backend, { log: (m) => secondLog.push(m) }, held);
    const configMap = (ns: string, name: string): object =>
      objectOf(kindNamed('ConfigMap'), name, ns);
    const cms = (ns: string): string => `/api/v1/namespaces/${ns}/configmaps`;
    const namespace = (name: string): object => objectOf(kindNamed('Namespace'), name);
    expect((await first.client.post('/api/v1/namespaces', namespace('known'))).status).toBe(201);
    await expect
      .poll(async () => {
        const cached = await second.client.get('/api/v1/namespaces?resourceVersion=0');
        const items = cached.body.items as { metadata: { name: string } }[];
        return items.some((n) => n.metadata.name === 'known');
      })
      .toBe(true);
    held.interrupt();

    // A namespace the cache has never seen is a miss, read from storage: no 404.
    expect((await first.client.post('/api/v1/namespaces', namespace('fresh'))).status).toBe(201);
    expect((await second.client.post(cms('fresh'), configMap('fresh', 'a'))).status).toBe(201);

    // Marked Terminating elsewhere while this cache lags: admitted (Kubernetes has the same
    // window, and the namespace controller deletes what lands in it) …
    expect((await first.client.delete('/api/v1/namespaces/known')).status).toBe(200);
    expect((await first.client.post(cms('known'), configMap('known', 'b'))).status).toBe(403);
    expect((await second.client.post(cms('known'), configMap('known', 'c'))).status).toBe(201);

    // … and refused as soon as the cache has the event.
    held.resume();
    let attempt = 0;
    await expect
      .poll(
        async () =>
          (await second.client.post(cms('known'), configMap('known', `d${attempt++}`))).status,
      )
      .toBe(403);
  });

  it('refuses to delete the default namespace', async () => {
    const { client } = await startApi(backend);
    const res = await client.delete('/api/v1/namespaces/default');
    expect(res.status).toBe(403);
  });

  it('deletes a terminating namespace once /finalize takes the kubernetes finalizer off', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces', objectOf(kindNamed('Namespace'), 'manual'));
    await client.delete('/api/v1/namespaces/manual');
    const ns = await client.get('/api/v1/namespaces/manual');
    expect(ns.body.spec).toEqual({ finalizers: ['kubernetes'] });
    const fin = await client.put('/api/v1/namespaces/manual/finalize', {
      ...ns.body,
      spec: { finalizers: [] },
    });
    expect(fin.status, fin.text).toBe(200);
    expect((await client.get('/api/v1/namespaces/manual')).status).toBe(404);
  });
});
