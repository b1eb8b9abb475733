// Create, get, list, update and delete for every built-in kind, over HTTP, on both backends.
import { builtinKinds } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse } from './testing/api-client.js';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { finalizeNamespace } from './testing/finalize-namespace.js';
import { kindNamed, nameFor, objectOf, pathFor, pod } from './testing/objects.js';

const backends = apiServerBackends();

async function whenEstablished(client: ApiClient, path: string): Promise<ApiResponse> {
  const established = (r: ApiResponse): boolean =>
    (
      (r.body.status as { conditions?: { type: string; status: string }[] } | undefined)
        ?.conditions ?? []
    ).some((c) => c.type === 'Established' && c.status === 'True');
  await expect.poll(async () => established(await client.get(path))).toBe(true);
  return client.get(path);
}

describe.each(backends)('CRUD on $name storage', (backend) => {
  it.each(builtinKinds.map((k) => [k.kind, k] as const))(
    'round-trips a %s through create, get, list, update and delete',
    async (_name, kind) => {
      const { client } = await startApi(backend);
      const name = nameFor(kind, 'round-trip');
      const collection = pathFor(kind, 'default');
      const item = pathFor(kind, 'default', name);

      const posted = await client.post(collection, objectOf(kind, name));
      expect(posted.status, posted.text).toBe(201);
      // A CRD's status is the apiserver's to write: it grants the names and establishes the CRD
      // just after creation, so the object to compare with is the established one.
      const created =
        kind.kind === 'CustomResourceDefinition' ? await whenEstablished(client, item) : posted;
      const meta = created.body.metadata ?? {};
      expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(meta.resourceVersion).toMatch(/^\d+$/);
      expect(meta.generation).toBe(1);

      const got = await client.get(item);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);

      const listed = await client.get(`${collection}?labelSelector=test%3Dyes`);
      expect(listed.status).toBe(200);
      expect(listed.body.kind).toBe(kind.listKind);
      const names = (listed.body.items as { metadata: { name: string } }[]).map(
        (i) => i.metadata.name,
      );
      expect(names).toContain(name);

      const changed = {
        ...created.body,
        metadata: { ...meta, labels: { test: 'yes', changed: 'true' } },
      };
      const updated = await client.put(item, changed);
      expect(updated.status, updated.text).toBe(200);
      expect(updated.body.metadata?.labels).toMatchObject({ test: 'yes', changed: 'true' });
      expect(Number(updated.body.metadata?.resourceVersion)).toBeGreaterThan(
        Number(meta.resourceVersion),
      );
      expect(updated.body.metadata?.uid).toBe(meta.uid);

      const deleted = await client.delete(item);
      expect(deleted.status, deleted.text).toBe(200);
      // A namespace stays Terminating until the namespace controller finalizes it.
      if (kind.kind === 'Namespace') {
        expect((await client.get(item)).body.status).toMatchObject({ phase: 'Terminating' });
        expect((await finalizeNamespace(client, name)).status).toBe(200);
      }
      await expect.poll(async () => (await client.get(item)).status).toBe(404);
    },
  );

  it('names an object from generateName with a random five-character suffix', async () => {
    const { client } = await startApi(backend);
    const body = pod('');
    body.metadata = { generateName: 'web-' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.post('/api/v1/namespaces/default/pods', body)),
    );
    const names = results.map((r) => String(r.body.metadata?.name));
    for (const r of results) expect(r.status).toBe(201);
    for (const n of names) expect(n).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(new Set(names).size).toBe(5);
  });

  it('lists pods across namespaces at /api/v1/pods', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces', objectOf(kindNamed('Namespace'), 'other'));
    await client.post('/api/v1/namespaces/default/pods', pod('a'));
    await client.post(
      '/api/v1/namespaces/other/pods',
      pod('b', { metadata: { name: 'b', namespace: 'other' } }),
    );
    const all = await client.get('/api/v1/pods');
    const keys = (all.body.items as { metadata: { namespace: string; name: string } }[]).map(
      (i) => `${i.metadata.namespace}/${i.metadata.name}`,
    );
    expect(keys).toEqual(['default/a', 'other/b']);
  });

  it('bumps generation when the spec changes but not for metadata or status', async () => {
    const { client } = await startApi(backend);
    const kind = kindNamed('Deployment');
    const path = pathFor(kind, 'default', 'web');
    const created = await client.post(pathFor(kind, 'default'), objectOf(kind, 'web'));
    const labelled = await client.patch(
      path,
      { metadata: { labels: { a: 'b' } } },
      'application/merge-patch+json',
    );
    expect(labelled.body.metadata?.generation).toBe(1);
    const scaled = await client.patch(
      path,
      { spec: { replicas: 3 } },
      'application/merge-patch+json',
    );
    expect(scaled.body.metadata?.generation).toBe(2);
    const status = await client.put(`${path}/status`, {
      ...scaled.body,
      status: { replicas: 3, observedGeneration: 2 },
    });
    expect(status.status, status.text).toBe(200);
    expect(status.body.metadata?.generation).toBe(2);
    expect(created.body.metadata?.generation).toBe(1);
  });

  it('ignores status on the main resource and everything but status on /status', async () => {
    const { client } = await startApi(backend);
    const path = '/api/v1/namespaces/default/pods/web';
    const created = await client.post('/api/v1/namespaces/default/pods', {
      ...pod('web'),
      status: { phase: 'Running' },
    });
    expect(created.body.status).toMatchObject({ phase: 'Pending', qosClass: 'BestEffort' });

    const viaMain = await client.put(path, { ...created.body, status: { phase: 'Failed' } });
    expect((viaMain.body.status as { phase: string }).phase).toBe('Pending');

    const spec = { ...(created.body.spec as object), activeDeadlineSeconds: 5 };
    const viaStatus = await client.put(`${path}/status`, {
      ...viaMain.body,
      metadata: { ...viaMain.body.metadata, labels: { sneaky: 'yes' } },
      spec,
      status: { phase: 'Running' },
    });
    expect(viaStatus.status, viaStatus.text).toBe(200);
    expect((viaStatus.body.status as { phase: string }).phase).toBe('Running');
    expect(
      (viaStatus.body.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds,
    ).toBeUndefined();
    expect(viaStatus.body.metadata?.labels).toEqual({ test: 'yes' });
  });

  it('adds the 300 s not-ready and unreachable tolerations to pods', async () => {
    const { client } = await startApi(backend);
    const created = await client.post('/api/v1/namespaces/default/pods', pod('web'));
    expect((created.body.spec as { tolerations: unknown[] }).tolerations).toEqual([
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
  });

  it('reads and writes replicas through the scale subresource', async () => {
    const { client } = await startApi(backend);
    const kind = kindNamed('Deployment');
    const path = pathFor(kind, 'default', 'web');
    await client.post(pathFor(kind, 'default'), objectOf(kind, 'web'));
    const scale = await client.get(`${path}/scale`);
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 0, selector: 'app=web' },
    });
    const put = await client.put(`${path}/scale`, { ...scale.body, spec: { replicas: 4 } });
    expect(put.status, put.text).toBe(200);
    const patched = await client.patch(
      `${path}/scale`,
      { spec: { replicas: 6 } },
      'application/merge-patch+json',
    );
    expect(patched.body.spec).toEqual({ replicas: 6 });
    const deployment = await client.get(path);
    expect((deployment.body.spec as { replicas: number }).replicas).toBe(6);
    expect(deployment.body.metadata?.generation).toBe(3);
  });

  it('patches with JSON patch, merge patch and strategic merge patch', async () => {
    const { client } = await startApi(backend);
    const path = '/api/v1/namespaces/default/pods/web';
    await client.post('/api/v1/namespaces/default/pods', pod('web'));
    const json = await client.patch(
      path,
      [{ op: 'add', path: '/metadata/labels/json', value: 'yes' }],
      'application/json-patch+json',
    );
    expect(json.status, json.text).toBe(200);
    const merge = await client.patch(
      path,
      { metadata: { labels: { merge: 'yes' } } },
      'application/merge-patch+json',
    );
    expect(merge.body.metadata?.labels).toEqual({ test: 'yes', json: 'yes', merge: 'yes' });
    const smp = await client.patch(
      path,
      { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } },
      'application/strategic-merge-patch+json',
    );
    expect(smp.status, smp.text).toBe(200);
    const containers = (
      smp.body.spec as { containers: { name: string; image: string; ports?: unknown[] }[] }
    ).containers;
    expect(containers).toHaveLength(1);
    expect(containers[0]).toMatchObject({
      name: 'app',
      image: 'nginx:1.28',
      ports: [{ containerPort: 80 }],
    });
  });

  it('creates endpoints with PUT when they do not exist, but not pods', async () => {
    const { client } = await startApi(backend);
    const endpoints = objectOf(kindNamed('Endpoints'), 'web');
    const put = await client.put('/api/v1/namespaces/default/endpoints/web', endpoints);
    expect(put.status, put.text).toBe(201);
    const podPut = await client.put('/api/v1/namespaces/default/pods/web', pod('web'));
    expect(podPut.status).toBe(404);
  });

  it('merges secret stringData into data and never stores it', async () => {
    const { client } = await startApi(backend);
    const created = await client.post('/api/v1/namespaces/default/secrets', {
      ...objectOf(kindNamed('Secret'), 's'),
      stringData: { password: 'hunter2' },
    });
    expect(created.body.data).toEqual({ key: 'dmFsdWU=', password: 'aHVudGVyMg==' });
    expect(created.body.stringData).toBeUndefined();
    expect(created.body.type).toBe('Opaque');
  });

  it('does not write with dryRun=All', async () => {
    const { client } = await startApi(backend);
    const dry = await client.post(
      '/api/v1/namespaces/default/configmaps?dryRun=All',
      objectOf(kindNamed('ConfigMap'), 'c'),
    );
    expect(dry.status).toBe(201);
    expect((await client.get('/api/v1/namespaces/default/configmaps/c')).status).toBe(404);
  });
});
