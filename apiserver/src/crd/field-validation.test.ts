// fieldValidation for custom resources over HTTP on both backends: Strict refuses unknown
// fields (400, every field named, nothing stored), Warn stores the pruned object and names each
// dropped field in a Warning header, Ignore drops them silently; the same for POST, PUT and a
// merge PATCH. Built-in kinds behave the same against their struct's fields.
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from '../server/testing/api-fixture.js';
import type { ApiClient, ApiResponse } from '../server/testing/api-client.js';
import { makeCrd, resourcePath, widget } from './testing/crd-fixtures.js';
import { installCrd } from './testing/install.js';

const backends = apiServerBackends();
const mergePatch = 'application/merge-patch+json';
const crd = makeCrd().build();
const collection = resourcePath(crd);
const item = resourcePath(crd, { name: 'w1' });

/** A widget with unknown fields in spec, at the root, in metadata and under a list of items. */
const typoWidget = () =>
  widget(
    'w1',
    { size: 3, colour: 'blue', extra: { kept: true }, zeta: 1 },
    { metadata: { name: 'w1', lables: { a: 'b' } }, bogus: true },
  );
const typoFields = ['bogus', 'metadata.lables', 'spec.colour', 'spec.zeta'];

const warningsOf = (res: ApiResponse): string | null => res.headers.get('warning');
const expectedWarnings = (fields: string[]): string =>
  fields.map((f) => `299 - "unknown field \\"${f}\\""`).join(', ');

async function start(backend: (typeof backends)[number]): Promise<ApiClient> {
  const { client } = await startApi(backend);
  await installCrd(client, crd);
  return client;
}

describe.each(backends)('fieldValidation for custom resources on $name storage', (backend) => {
  it('Strict refuses a create naming every unknown field, and stores nothing', async () => {
    const client = await start(backend);
    const res = await client.post(`${collection}?fieldValidation=Strict`, typoWidget());
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message:
        'Widget in version "v1" cannot be handled as a Widget: strict decoding error: ' +
        'unknown field "bogus", unknown field "metadata.lables", ' +
        'unknown field "spec.colour", unknown field "spec.zeta"',
    });
    expect((await client.get(item)).status).toBe(404);
  });

  it.each([
    ['Warn', `?fieldValidation=Warn`, expectedWarnings(typoFields)],
    ['the default (Warn)', '', expectedWarnings(typoFields)],
    ['Ignore', `?fieldValidation=Ignore`, null],
  ])('%s stores the pruned object', async (_name, query, warnings) => {
    const client = await start(backend);
    const res = await client.post(`${collection}${query}`, typoWidget());
    expect(res.status, res.text).toBe(201);
    expect(warningsOf(res)).toBe(warnings);
    const stored = (await client.get(item)).body;
    expect(stored.spec).toEqual({ size: 3, color: 'red', replicas: 1, extra: { kept: true } });
    expect(stored).not.toHaveProperty('bogus');
    expect(stored.metadata).not.toHaveProperty('lables');
  });

  it('applies to PUT: Strict refuses, Warn warns, and a clean object gets no warning', async () => {
    const client = await start(backend);
    const created = await client.post(collection, widget('w1', { size: 1 }));
    expect(warningsOf(created)).toBeNull();
    const body = { ...created.body, spec: { size: 2, shape: 'round' } };

    const strict = await client.put(`${item}?fieldValidation=Strict`, body);
    expect(strict.status, strict.text).toBe(400);
    expect(strict.body.message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.shape"',
    );
    expect((await client.get(item)).body.spec).toMatchObject({ size: 1 });

    const warned = await client.put(`${item}?fieldValidation=Warn`, body);
    expect(warned.status, warned.text).toBe(200);
    expect(warningsOf(warned)).toBe(expectedWarnings(['spec.shape']));
    expect(warned.body.spec).toEqual({ size: 2, color: 'red', replicas: 1 });
  });

  it('applies to a merge PATCH that adds an unknown field', async () => {
    const client = await start(backend);
    await client.post(collection, widget('w1', { size: 1 }));
    const patch = { spec: { size: 5, shape: 'round' } };

    const strict = await client.request('PATCH', `${item}?fieldValidation=Strict`, {
      body: patch,
      contentType: mergePatch,
    });
    expect(strict.status, strict.text).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "spec.shape"');
    expect((await client.get(item)).body.spec).toMatchObject({ size: 1 });

    const ignored = await client.request('PATCH', `${item}?fieldValidation=Ignore`, {
      body: patch,
      contentType: mergePatch,
    });
    expect(ignored.status, ignored.text).toBe(200);
    expect(warningsOf(ignored)).toBeNull();
    expect(ignored.body.spec).toEqual({ size: 5, color: 'red', replicas: 1 });

    const warned = await client.request('PATCH', item, {
      body: { spec: { size: 6, shape: 'square' } },
      contentType: mergePatch,
    });
    expect(warned.status, warned.text).toBe(200);
    expect(warningsOf(warned)).toBe(expectedWarnings(['spec.shape']));
    expect(warned.body.spec).toEqual({ size: 6, color: 'red', replicas: 1 });
  });

  it('treats built-in kinds the same: Strict refuses, Warn warns, Ignore drops, as Kubernetes', async () => {
    const { client } = await startApi(backend);
    const configMap = (name: string): object => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, colour: 'red' },
      data: { a: 'b' },
      notAField: true,
    });
    const path = '/api/v1/namespaces/default/configmaps';
    const strict = await client.post(`${path}?fieldValidation=Strict`, configMap('c1'));
    expect(strict.status, strict.text).toBe(400);
    expect(strict.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: ' +
        'unknown field "metadata.colour", unknown field "notAField"',
    );
    const warned = await client.post(`${path}?fieldValidation=Warn`, configMap('c2'));
    expect(warned.status, warned.text).toBe(201);
    expect(warningsOf(warned)).toBe(expectedWarnings(['metadata.colour', 'notAField']));
    expect(warned.body).not.toHaveProperty('notAField');
    const ignored = await client.post(`${path}?fieldValidation=Ignore`, configMap('c3'));
    expect(ignored.status, ignored.text).toBe(201);
    expect(warningsOf(ignored)).toBeNull();
    expect(ignored.body).not.toHaveProperty('notAField');
    expect(ignored.body.metadata).not.toHaveProperty('colour');
  });

  it('refuses an unknown fieldValidation value', async () => {
    const client = await start(backend);
    const res = await client.post(`${collection}?fieldValidation=Loud`, widget('w1', { size: 1 }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'fieldValidation: Unsupported value: "Loud": supported values: "Ignore", "Warn", "Strict"',
    );
  });
});
