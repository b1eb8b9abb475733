// Custom resources over HTTP on both storage backends: a CRD's resource is served, validated,
// pruned and defaulted from its schema, honours its subresources, and goes away with its CRD.
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from '../server/testing/api-fixture.js';
import { crdPath, makeCrd, resourcePath, widget } from './testing/crd-fixtures.js';
import { CRD_CHANGE_TIMEOUT_MS, expectServed, installCrd } from './testing/install.js';

const backends = apiServerBackends();
const mergePatch = 'application/merge-patch+json';

describe.each(backends)('custom resources on $name storage', (backend) => {
  it('serves a CRD from creation to deletion, and deletes its objects with it', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().shortNames('wd').categories('all').build();
    await installCrd(client, crd);

    const stored = await client.get(crdPath(crd.metadata.name));
    const conditions = stored.body.status as { conditions: { type: string; status: string }[] };
    expect(conditions.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' }),
        expect.objectContaining({ type: 'Established', status: 'True' }),
      ]),
    );

    const collection = resourcePath(crd);
    const watch = client.watch(`${collection}?watch=1`);
    const created = await client.post(collection, widget('w1', { size: 3 }));
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default', generation: 1 },
      spec: { size: 3, color: 'red', replicas: 1 },
    });

    const item = resourcePath(crd, { name: 'w1' });
    expect((await client.get(item)).body).toEqual(created.body);
    const listed = await client.get(collection);
    expect(listed.body.kind).toBe('WidgetList');
    expect(listed.body.apiVersion).toBe('example.com/v1');
    expect((listed.body.items as unknown[]).length).toBe(1);
    expect((await client.get('/apis/example.com/v1/widgets')).status).toBe(200);

    const updated = await client.put(item, { ...created.body, spec: { size: 4 } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.spec).toEqual({ size: 4, color: 'red', replicas: 1 });
    expect(updated.body.metadata?.generation).toBe(2);

    const merged = await client.patch(item, { spec: { color: 'blue' } }, mergePatch);
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body.spec).toMatchObject({ size: 4, color: 'blue' });
    const jsonPatched = await client.patch(
      item,
      [{ op: 'replace', path: '/spec/size', value: 5 }],
      'application/json-patch+json',
    );
    expect(jsonPatched.status, jsonPatched.text).toBe(200);
    expect(jsonPatched.body.spec).toMatchObject({ size: 5, color: 'blue' });
    const strategic = await client.patch(
      item,
      { spec: { size: 6 } },
      'application/strategic-merge-patch+json',
    );
    expect(strategic.status).toBe(415);
    // As kubectl shows it for a custom resource: strategic merge patch is not among them.
    expect(strategic.body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );

    const events = await watch.next(4);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED']);
    expect(events[3]?.object.spec).toMatchObject({ size: 5 });
    await watch.stop();

    await client.post(collection, widget('w2', { size: 1 }));
    const deleted = await client.delete(item);
    expect(deleted.status, deleted.text).toBe(200);
    expect((await client.get(item)).status).toBe(404);

    const crdDeleted = await client.delete(crdPath(crd.metadata.name));
    expect(crdDeleted.status, crdDeleted.text).toBe(200);
    await expect
      .poll(async () => (await client.get(crdPath(crd.metadata.name))).status, {
        timeout: CRD_CHANGE_TIMEOUT_MS,
      })
      .toBe(404);
    expect((await client.get(collection)).status).toBe(404);
    expect((await client.get('/apis')).text).not.toContain('example.com');
    // Re-created, the CRD starts empty: its objects went with the old one.
    await installCrd(client, makeCrd().build());
    expect((await client.get(collection)).body.items).toEqual([]);
  });

  it('answers 422 with Kubernetes field paths for objects that break the schema', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    const bad = await client.post(
      resourcePath(crd),
      widget('bad', { size: 'three', color: 'purple', labels: { a: 1 } }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    expect(bad.body.message).toBe(
      'Widget.example.com "bad" is invalid: [spec.size: Invalid value: "string": spec.size in body must be of type integer: "string", spec.color: Unsupported value: "purple": supported values: "red", "green", "blue", spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"]',
    );
    const details = bad.body.details as { causes: { field: string; reason: string }[] };
    expect(details.causes.map((c) => [c.reason, c.field])).toEqual([
      ['FieldValueTypeInvalid', 'spec.size'],
      ['FieldValueNotSupported', 'spec.color'],
      ['FieldValueTypeInvalid', 'spec.labels.a'],
    ]);

    const missing = await client.post(resourcePath(crd), widget('missing', { size: 11 }));
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain(
      'spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10',
    );
    const noSpec = await client.post(resourcePath(crd), widget('nospec', {}));
    expect(noSpec.body.message).toBe(
      'Widget.example.com "nospec" is invalid: spec.size: Required value',
    );
    expect((await client.get(resourcePath(crd))).body.items).toEqual([]);
  });

  it('answers malformed custom resources with a 4xx, never a 5xx', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    const collection = resourcePath(crd);
    const cases: [string, unknown, number, string][] = [
      ['metadata a string', { ...widget('m', { size: 1 }), metadata: 'm' }, 422, 'metadata'],
      ['metadata a list', { ...widget('m', { size: 1 }), metadata: ['m'] }, 422, 'metadata'],
      [
        'labels of the wrong type',
        { ...widget('m', { size: 1 }), metadata: { name: 'm', labels: { a: 1 } } },
        422,
        'metadata.labels[a]',
      ],
      ['spec a string', widget('m', 'big'), 422, 'spec'],
      ['an invalid name', widget('Not_Valid', { size: 1 }), 422, 'metadata.name'],
      ['another kind', { ...widget('m', { size: 1 }), kind: 'Gadget' }, 400, ''],
      ['a list body', [widget('m', { size: 1 })], 400, ''],
    ];
    for (const [what, body, status, field] of cases) {
      const res = await client.post(collection, body);
      expect(res.status, `${what}: ${res.text}`).toBe(status);
      if (field) {
        const causes = (res.body.details as { causes: { field: string }[] }).causes;
        expect(
          causes.map((c) => c.field),
          what,
        ).toContain(field);
      }
    }
    const nulls = await client.post(collection, {
      ...widget('n', { size: 1, color: null }),
      metadata: { name: 'n', labels: { a: null, b: 'x' }, annotations: null },
    });
    expect(nulls.status, nulls.text).toBe(201);
    expect(nulls.body.metadata?.labels).toEqual({ b: 'x' });
    expect(nulls.body.spec).toMatchObject({ color: 'red' });
    const missingNamespace = await client.post(
      resourcePath(crd, { namespace: 'nowhere' }),
      widget('x', { size: 1 }),
    );
    expect(missingNamespace.status).toBe(404);
  });

  it('prunes unknown fields except under x-kubernetes-preserve-unknown-fields', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    const created = await client.post(
      resourcePath(crd),
      widget(
        'w',
        { size: 2, unknown: true, extra: { anything: { nested: [1, 2] } } },
        { topLevel: 'dropped', metadata: { name: 'w', labels: { kept: 'yes' } } },
      ),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.spec).toEqual({
      size: 2,
      color: 'red',
      replicas: 1,
      extra: { anything: { nested: [1, 2] } },
    });
    expect(created.body.topLevel).toBeUndefined();
    expect(created.body.metadata?.labels).toEqual({ kept: 'yes' });
  });

  it('applies schema defaults on create and update, nested ones included', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd()
      .schema({
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            default: {},
            properties: {
              mode: { type: 'string', default: 'auto' },
              limits: {
                type: 'object',
                default: {},
                properties: { cpu: { type: 'string', default: '100m' } },
              },
              note: { type: 'string', nullable: true, default: 'none' },
            },
          },
        },
      })
      .build();
    await installCrd(client, crd);
    const created = await client.post(resourcePath(crd), {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'd' },
    });
    expect(created.body.spec).toEqual({ mode: 'auto', limits: { cpu: '100m' }, note: 'none' });
    const item = resourcePath(crd, { name: 'd' });
    const patched = await client.patch(item, { spec: { mode: null, note: null } }, mergePatch);
    // A merge patch's null removes the field, and the default comes back.
    expect(patched.body.spec).toEqual({ mode: 'auto', limits: { cpu: '100m' }, note: 'none' });
    const put = await client.put(item, { ...patched.body, spec: { note: null } });
    // A nullable field keeps its explicit null.
    expect(put.body.spec).toEqual({ mode: 'auto', limits: { cpu: '100m' }, note: null });
  });

  it('splits status from spec with the status subresource and bumps generation on spec only', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().statusSubresource().build();
    await installCrd(client, crd);
    const created = await client.post(
      resourcePath(crd),
      widget('s', { size: 1 }, { status: { ready: true } }),
    );
    expect(created.body.status).toBeUndefined();
    const item = resourcePath(crd, { name: 's' });

    const status = await client.put(`${item}/status`, {
      ...created.body,
      spec: { size: 9 },
      status: { ready: true, replicas: 2 },
    });
    expect(status.status, status.text).toBe(200);
    expect(status.body.spec).toMatchObject({ size: 1 });
    expect(status.body.status).toEqual({ ready: true, replicas: 2 });
    expect(status.body.metadata?.generation).toBe(1);

    const main = await client.patch(
      item,
      { spec: { size: 2 }, status: { ready: false } },
      mergePatch,
    );
    expect(main.body.status).toEqual({ ready: true, replicas: 2 });
    expect(main.body.spec).toMatchObject({ size: 2 });
    expect(main.body.metadata?.generation).toBe(2);

    const invalidStatus = await client.patch(
      `${item}/status`,
      { status: { replicas: 'many' } },
      mergePatch,
    );
    expect(invalidStatus.status).toBe(422);
    expect(invalidStatus.body.message).toContain('status.replicas in body must be of type integer');

    const discovery = await client.get('/apis/example.com/v1');
    const names = (discovery.body.resources as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(['widgets', 'widgets/status']);
  });

  it('bumps generation on status changes when there is no status subresource', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    await client.post(resourcePath(crd), widget('g', { size: 1 }));
    const item = resourcePath(crd, { name: 'g' });
    const patched = await client.patch(item, { status: { ready: true } }, mergePatch);
    expect(patched.body.status).toEqual({ ready: true });
    expect(patched.body.metadata?.generation).toBe(2);
    expect((await client.get(`${item}/status`)).status).toBe(404);
  });

  it('reads and writes replicas through the scale subresource', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().statusSubresource().scaleSubresource().build();
    await installCrd(client, crd);
    await client.post(resourcePath(crd), widget('sc', { size: 1, replicas: 2 }));
    const scalePath = `${resourcePath(crd, { name: 'sc' })}/scale`;
    const scale = await client.get(scalePath);
    expect(scale.body).toMatchObject({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      spec: { replicas: 2 },
      status: { replicas: 0 },
    });
    const scaled = await client.patch(scalePath, { spec: { replicas: 5 } }, mergePatch);
    expect(scaled.status, scaled.text).toBe(200);
    expect(scaled.body.spec).toEqual({ replicas: 5 });
    const obj = await client.get(resourcePath(crd, { name: 'sc' }));
    expect(obj.body.spec).toMatchObject({ replicas: 5, size: 1 });
    const tooBig = await client.put(scalePath, { ...scaled.body, spec: { replicas: 2 ** 31 } });
    expect(tooBig.status).toBe(422);
    const discovery = await client.get('/apis/example.com/v1');
    expect(discovery.body.resources).toContainEqual(
      expect.objectContaining({
        name: 'widgets/scale',
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
      }),
    );
  });

  it('serves a cluster-scoped CRD without namespaces', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd('gadgets', 'Gadget').cluster().build();
    await installCrd(client, crd);
    const created = await client.post('/apis/example.com/v1/gadgets', {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g', namespace: 'ignored' },
      spec: { size: 1 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.metadata?.namespace).toBeUndefined();
    expect((await client.get('/apis/example.com/v1/gadgets/g')).status).toBe(200);
    expect((await client.get('/apis/example.com/v1/namespaces/default/gadgets')).status).toBe(404);
    const discovery = await client.get('/apis/example.com/v1');
    expect(discovery.body.resources).toContainEqual(
      expect.objectContaining({ name: 'gadgets', namespaced: false, kind: 'Gadget' }),
    );
  });

  it('serves every version, stores the storage version and answers in the one asked for', async () => {
    const { client, storage } = await startApi(backend);
    const crd = makeCrd().versions(['v1beta1', 'v1'], 'v1').build();
    await installCrd(client, crd);
    const created = await client.post(resourcePath(crd, { version: 'v1beta1' }), {
      ...widget('mv', { size: 1 }),
      apiVersion: 'example.com/v1beta1',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.apiVersion).toBe('example.com/v1beta1');
    const raw = await storage.get('example.com/widgets/default/mv');
    expect(JSON.parse(new TextDecoder().decode(raw?.value))).toMatchObject({
      apiVersion: 'example.com/v1',
    });
    const asV1 = await client.get(resourcePath(crd, { version: 'v1', name: 'mv' }));
    expect(asV1.body.apiVersion).toBe('example.com/v1');
    const wrongVersion = await client.post(resourcePath(crd, { version: 'v1' }), {
      ...widget('x', { size: 1 }),
      apiVersion: 'example.com/v1beta1',
    });
    expect(wrongVersion.status).toBe(400);

    const group = await client.get('/apis/example.com');
    expect(group.body.preferredVersion).toEqual({ groupVersion: 'example.com/v1', version: 'v1' });
    const stored = await client.get(crdPath(crd.metadata.name));
    expect((stored.body.status as { storedVersions: string[] }).storedVersions).toEqual(['v1']);
  });

  it('takes a CRD update into account: a new version, a stricter schema', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    await client.post(resourcePath(crd), widget('u', { size: 5 }));
    const current = await client.get(crdPath(crd.metadata.name));
    const spec = current.body.spec as typeof crd.spec;
    const v1 = spec.versions[0];
    if (!v1) throw new Error('fixture has a version');
    const stricter = structuredClone(v1);
    const sizeSchema = stricter.schema?.openAPIV3Schema?.properties?.spec?.properties?.size;
    if (sizeSchema) sizeSchema.maximum = 3;
    const v2 = { ...structuredClone(v1), name: 'v2', storage: false };
    const updated = await client.put(crdPath(crd.metadata.name), {
      ...current.body,
      spec: { ...spec, versions: [stricter, v2] },
    });
    expect(updated.status, updated.text).toBe(200);
    await expectServed(client, crd, 'v2');
    expect(
      (await client.get(resourcePath(crd, { version: 'v2', name: 'u' }))).body.apiVersion,
    ).toBe('example.com/v2');
    await expect
      .poll(async () => (await client.post(resourcePath(crd), widget('big', { size: 5 }))).status, {
        timeout: CRD_CHANGE_TIMEOUT_MS,
      })
      .toBe(422);
  });

  it('keeps a deleted CRD Terminating while its objects are held, refusing new ones', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    const held = widget('held', { size: 1 });
    (held.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    await client.post(resourcePath(crd), held);
    await client.delete(crdPath(crd.metadata.name));

    const terminating = await client.get(crdPath(crd.metadata.name));
    expect(terminating.body.metadata?.finalizers).toEqual([
      'customresourcecleanup.apiextensions.k8s.io',
    ]);
    expect((terminating.body.status as { conditions: unknown[] }).conditions).toContainEqual(
      expect.objectContaining({ type: 'Terminating', status: 'True' }),
    );
    const refused = await client.post(resourcePath(crd), widget('new', { size: 1 }));
    expect(refused.status).toBe(405);
    expect(refused.body.message).toBe(
      'create not allowed while custom resource definition is terminating',
    );
    await expect
      .poll(async () => (await client.get(resourcePath(crd, { name: 'held' }))).body.metadata)
      .toHaveProperty('deletionTimestamp');

    const item = resourcePath(crd, { name: 'held' });
    const released = await client.patch(item, { metadata: { finalizers: null } }, mergePatch);
    expect(released.status, released.text).toBe(200);
    await expect
      .poll(async () => (await client.get(crdPath(crd.metadata.name))).status, {
        timeout: CRD_CHANGE_TIMEOUT_MS,
      })
      .toBe(404);
  });

  it('refuses names another CRD of the group holds, with NamesAccepted False', async () => {
    const { client } = await startApi(backend);
    await installCrd(client, makeCrd().shortNames('wd').build());
    const rival = makeCrd('gizmos', 'Gizmo').shortNames('wd').build();
    expect((await client.post(crdPath(), rival)).status).toBe(201);
    await expect
      .poll(async () => {
        const got = await client.get(crdPath(rival.metadata.name));
        const conditions = (got.body.status as { conditions?: object[] } | undefined)?.conditions;
        return conditions ?? [];
      })
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'NamesAccepted',
            status: 'False',
            reason: 'ShortNamesConflict',
            message: '"wd" is already in use',
          }),
          expect.objectContaining({ type: 'Established', status: 'False', reason: 'NotAccepted' }),
        ]),
      );
    expect((await client.get(resourcePath(rival))).status).toBe(404);
  });

  it('refuses a CRD whose schema cannot be served', async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd()
      .schema({ type: 'object', properties: { spec: { type: 'strin' } } })
      .build();
    const refused = await client.post(crdPath(), crd);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Unsupported value: "strin"',
    );
  });

  it("keeps a deleted namespace's custom resources for the namespace controller to delete", async () => {
    const { client } = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(client, crd);
    await client.post('/api/v1/namespaces', { metadata: { name: 'lab' } });
    const created = await client.post(
      resourcePath(crd, { namespace: 'lab' }),
      widget('in-lab', { size: 1 }),
    );
    expect(created.status, created.text).toBe(201);
    await client.delete('/api/v1/namespaces/lab');
    expect((await client.get('/api/v1/namespaces/lab')).body.status).toEqual({
      phase: 'Terminating',
    });
    expect((await client.get(resourcePath(crd, { namespace: 'lab', name: 'in-lab' }))).status).toBe(
      200,
    );
    const refused = await client.post(
      resourcePath(crd, { namespace: 'lab' }),
      widget('late', { size: 1 }),
    );
    expect(refused.status).toBe(403);
  });

  it('serves stored CRDs from the first request after a restart', async () => {
    const first = await startApi(backend);
    const crd = makeCrd().build();
    await installCrd(first.client, crd);
    await first.client.post(resourcePath(crd), widget('kept', { size: 2 }));
    await first.server.close();

    const second = await startApi(backend, {}, first.storage);
    const got = await second.client.get(resourcePath(crd, { name: 'kept' }));
    expect(got.status, got.text).toBe(200);
    expect(got.body.spec).toMatchObject({ size: 2 });
  });
});
