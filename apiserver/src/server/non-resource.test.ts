// Discovery, OpenAPI, /version, health and /metrics: what clients read before any resource.
import { builtinKinds } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { kindNamed, objectOf } from './testing/objects.js';

const [embedded] = apiServerBackends();
if (!embedded) throw new Error('no embedded backend');

describe('non-resource endpoints', () => {
  it('serves discovery for every group and version in the kinds table', async () => {
    const { client } = await startApi(embedded);
    expect((await client.get('/api')).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const groups = await client.get('/apis');
    const names = (groups.body.groups as { name: string }[]).map((g) => g.name);
    expect(names.sort()).toEqual([
      'apiextensions.k8s.io',
      'apps',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'metrics.k8s.io',
    ]);

    const core = await client.get('/api/v1');
    const resources = core.body.resources as {
      name: string;
      verbs: string[];
      shortNames?: string[];
      kind: string;
      namespaced: boolean;
      group?: string;
    }[];
    const byName = new Map(resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'] });
    expect(byName.get('pods/status')?.verbs).toEqual(['get', 'patch', 'update']);
    expect(byName.get('pods/binding')?.verbs).toEqual(['create']);
    expect(byName.get('services')?.verbs).not.toContain('deletecollection');
    const apps = await client.get('/apis/apps/v1');
    const scale = (apps.body.resources as { name: string; group?: string; kind: string }[]).find(
      (r) => r.name === 'deployments/scale',
    );
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    for (const k of builtinKinds) {
      const path = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
      const list = await client.get(path);
      expect((list.body.resources as { name: string }[]).map((r) => r.name)).toContain(k.resource);
    }
  });

  it('answers /version in Kubernetes shape', async () => {
    const { client } = await startApi(embedded);
    const res = await client.get('/version');
    expect(res.body).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.0-skiff.0' });
    expect(res.body.platform).toMatch(/^\w+\/\w+$/);
  });

  it('answers health checks and readiness once started', async () => {
    const { client } = await startApi(embedded);
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = await client.get(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok');
    }
    const verbose = await client.get('/readyz?verbose');
    expect(verbose.text).toContain('[+]storage ok');
  });

  it('reports not ready when the store stops answering', async () => {
    // Background work fails loudly once the store is gone; that is expected here.
    const { client, storage } = await startApi(embedded, { log: () => undefined });
    await storage.close();
    const res = await client.get('/readyz');
    expect(res.status).toBe(500);
    expect(res.text).toContain('[-]storage failed');
  });

  it('exports request, watcher, object and storage metrics', async () => {
    const { client } = await startApi(embedded);
    await client.post(
      '/api/v1/namespaces/default/configmaps',
      objectOf(kindNamed('ConfigMap'), 'c'),
    );
    await client.get('/api/v1/namespaces/default/configmaps/nope');
    const watch = client.watch('/api/v1/namespaces/default/configmaps?watch=1');
    await watch.status;
    const text = (await client.get('/metrics')).text;
    expect(text).toMatch(
      /apiserver_request_total\{verb="CREATE",group="",resource="configmaps",subresource="",code="201"\} 1/,
    );
    expect(text).toMatch(
      /apiserver_request_total\{verb="GET",group="",resource="configmaps",subresource="",code="404"\} 1/,
    );
    expect(text).toMatch(/apiserver_registered_watchers\{resource="configmaps"\} 1/);
    expect(text).toMatch(/apiserver_storage_objects\{resource="namespaces"\} 4/);
    expect(text).toContain('apiserver_request_duration_seconds_bucket');
    expect(text).toContain(
      'apiserver_storage_request_duration_seconds_bucket{le="0.001",operation="create"}',
    );
    await watch.stop();
  });

  it('serves an OpenAPI v3 index whose documents name each kind and accept fieldValidation', async () => {
    const { client } = await startApi(embedded);
    const root = await client.get('/openapi/v3');
    const paths = root.body.paths as Record<string, { serverRelativeURL: string }>;
    const apps = paths['apis/apps/v1'];
    expect(apps).toBeDefined();
    const doc = await client.get(apps?.serverRelativeURL ?? '');
    const deployment = (
      doc.body.paths as Record<
        string,
        { patch: Record<string, unknown>; parameters: { name: string }[] }
      >
    )['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(deployment?.patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(deployment?.parameters.map((p) => p.name)).toContain('fieldValidation');
  });

  it('returns a meta/v1 Table when kubectl asks for one', async () => {
    const { client } = await startApi(embedded);
    const res = await client.get('/api/v1/namespaces', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(res.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    const columns = (res.body.columnDefinitions as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['Name', 'Status', 'Age']);
    const rows = res.body.rows as { cells: unknown[]; object: { kind: string } }[];
    expect(rows.map((r) => r.cells[0])).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    expect(rows[0]?.object.kind).toBe('PartialObjectMetadata');
  });
});

describe('event expiry', () => {
  it('deletes events an hour after their last activity, on the injected clock', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const { client } = await startApi(embedded, { clock, eventTtlMs: 60 * 60 * 1000 });
    const events = '/api/v1/namespaces/default/events';
    expect((await client.post(events, objectOf(kindNamed('Event'), 'old'))).status).toBe(201);
    await clock.advance(30 * 60 * 1000);
    expect((await client.post(events, objectOf(kindNamed('Event'), 'young'))).status).toBe(201);
    await clock.advance(31 * 60 * 1000);
    await expect.poll(async () => (await client.get(`${events}/old`)).status).toBe(404);
    expect((await client.get(`${events}/young`)).status).toBe(200);
    await clock.advance(30 * 60 * 1000);
    await expect.poll(async () => (await client.get(`${events}/young`)).status).toBe(404);
  });
});
