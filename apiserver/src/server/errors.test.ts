// Every error is a metav1.Status with Kubernetes' code, reason and wording, and client input
// never produces a 5xx. On both backends.
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { kindNamed, objectOf, pod } from './testing/objects.js';

const backends = apiServerBackends();
const pods = '/api/v1/namespaces/default/pods';

function expectStatus(body: Record<string, unknown>, code: number, reason: string): void {
  expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
  expect(typeof body.message).toBe('string');
}

describe.each(backends)('errors on $name storage', (backend) => {
  it('answers malformed JSON with 400 saying where the parser stopped', async () => {
    const { client } = await startApi(backend);
    const res = await client.request('POST', pods, {
      raw: '{\n  "apiVersion": "v1",\n  "kind": }',
    });
    expect(res.status).toBe(400);
    expectStatus(res.body, 400, 'BadRequest');
    expect(res.body.message).toMatch(/line 3, column \d+/);
  });

  it('answers malformed YAML with 400 saying the line and column', async () => {
    const { client } = await startApi(backend);
    const res = await client.request('POST', pods, {
      raw: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n',
      contentType: 'application/yaml',
    });
    expectStatus(res.body, 400, 'BadRequest');
    expect(res.body.message).toMatch(/line \d+, column \d+/);
  });

  it('accepts YAML bodies', async () => {
    const { client } = await startApi(backend);
    const res = await client.request('POST', pods, {
      raw: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  containers:\n  - name: a\n    image: nginx\n',
      contentType: 'application/yaml',
    });
    expect(res.status, res.text).toBe(201);
  });

  it.each([
    ['a missing object', `${pods}/nope`, 'pods "nope" not found'],
    [
      'a missing object of a named group',
      '/apis/apps/v1/namespaces/default/deployments/nope',
      'deployments.apps "nope" not found',
    ],
    [
      'an unknown resource',
      '/api/v1/namespaces/default/widgets',
      'the server could not find the requested resource',
    ],
    [
      'an unknown group',
      '/apis/example.com/v1/things',
      'the server could not find the requested resource',
    ],
    ['an unknown path', '/nonsense', 'the server could not find the requested resource'],
    [
      'an unknown subresource',
      `${pods}/x/teleport`,
      'the server could not find the requested resource',
    ],
  ])('answers %s with a 404 Status', async (_case, path, message) => {
    const { client } = await startApi(backend);
    const res = await client.get(path);
    expect(res.status).toBe(404);
    expectStatus(res.body, 404, 'NotFound');
    expect(res.body.message).toBe(message);
  });

  it('answers verbs a resource lacks with 405', async () => {
    const { client } = await startApi(backend);
    const bulk = await client.delete('/api/v1/namespaces/default/services');
    expectStatus(bulk.body, 405, 'MethodNotAllowed');
    expect(bulk.body.message).toBe(
      'deletecollection is not supported on resources of kind "services"',
    );
    const postNamed = await client.post(`${pods}/x`, pod('x'));
    expect(postNamed.status).toBe(405);
  });

  it('answers a duplicate create with 409 AlreadyExists', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, pod('x'));
    const res = await client.post(pods, pod('x'));
    expectStatus(res.body, 409, 'AlreadyExists');
    expect(res.body.message).toBe('pods "x" already exists');
    expect(res.body.details).toEqual({ name: 'x', kind: 'pods' });
  });

  it('answers bodies over 3 MiB with 413', async () => {
    const { client } = await startApi(backend);
    const huge = JSON.stringify({
      ...objectOf(kindNamed('ConfigMap'), 'big'),
      data: { k: 'x'.repeat(3 * 1024 * 1024) },
    });
    const res = await client.request('POST', '/api/v1/namespaces/default/configmaps', {
      raw: huge,
    });
    expectStatus(res.body, 413, 'RequestEntityTooLarge');
  });

  it('answers an unknown patch type and an undecodable body with 415', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, pod('x'));
    const patch = await client.patch(`${pods}/x`, { metadata: {} }, 'application/x-patch+json');
    expectStatus(patch.body, 415, 'UnsupportedMediaType');
    // kube-apiserver's words, listing every patch type the resource serves.
    expect(patch.body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
    // Server-side apply is served; without a fieldManager it is Kubernetes' 400.
    const apply = await client.patch(`${pods}/x`, { metadata: {} }, 'application/apply-patch+yaml');
    expectStatus(apply.body, 400, 'BadRequest');
    expect(apply.body.message).toBe('fieldManager is required for apply requests');
    const form = await client.request('POST', pods, {
      raw: 'a=b',
      contentType: 'application/x-www-form-urlencoded',
    });
    expectStatus(form.body, 415, 'UnsupportedMediaType');
  });

  it('answers an invalid object with 422 and field causes', async () => {
    const { client } = await startApi(backend);
    const res = await client.post(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'Bad_Name' },
      spec: { containers: [{ name: 'a' }] },
    });
    expectStatus(res.body, 422, 'Invalid');
    expect(res.body.message).toMatch(/^Pod "Bad_Name" is invalid: /);
    const causes = (res.body.details as { causes: { field: string; reason: string }[] }).causes;
    expect(causes).toContainEqual(
      expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' }),
    );
    expect(causes).toContainEqual(
      expect.objectContaining({ field: 'spec.containers[0].image', reason: 'FieldValueRequired' }),
    );
  });

  it('answers a wrongly typed field with 422 from the structure check', async () => {
    const { client } = await startApi(backend);
    const res = await client.post(pods, { ...pod('x'), spec: { containers: 'nginx' } });
    expectStatus(res.body, 422, 'Invalid');
    expect((res.body.details as { causes: { field: string }[] }).causes[0]?.field).toBe(
      'spec.containers',
    );
  });

  it('answers a mismatched namespace or kind in the body with 400', async () => {
    const { client } = await startApi(backend);
    const ns = await client.post(pods, {
      ...pod('x'),
      metadata: { name: 'x', namespace: 'kube-system' },
    });
    expectStatus(ns.body, 400, 'BadRequest');
    const kind = await client.post(pods, objectOf(kindNamed('ConfigMap'), 'x'));
    expectStatus(kind.body, 400, 'BadRequest');
  });

  it('answers past the in-flight limits with 429 and Retry-After, but lets watches through', async () => {
    const { client } = await startApi(backend, { inFlight: { maxReads: 0, maxMutations: 0 } });
    const read = await client.get(pods);
    expectStatus(read.body, 429, 'TooManyRequests');
    expect(read.headers.get('retry-after')).toBe('1');
    const write = await client.post(pods, pod('x'));
    expect(write.status).toBe(429);
    const watch = await client.get(`${pods}?watch=1&timeoutSeconds=1`);
    expect(watch.status).toBe(200);
  });

  it('answers a bad query parameter with 400', async () => {
    const { client } = await startApi(backend);
    for (const query of ['limit=-1', 'resourceVersion=abc', 'continue=%%%', 'timeoutSeconds=x']) {
      const res = await client.get(`${pods}?${query}`);
      expect(res.status, query).toBe(400);
      expectStatus(res.body, 400, 'BadRequest');
    }
  });

  it('answers an unknown dryRun value on a write with 400', async () => {
    const { client } = await startApi(backend);
    const res = await client.post(`${pods}?dryRun=Some`, pod('x'));
    expectStatus(res.body, 400, 'BadRequest');
  });

  it('answers an unsupported propagationPolicy with 422', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, pod('x'));
    const res = await client.delete(`${pods}/x`, { propagationPolicy: 'Sideways' });
    expectStatus(res.body, 422, 'Invalid');
  });

  it('answers pods/exec for a pod on an unknown node with the node NotFound (more: pod-stream.test)', async () => {
    const { client } = await startApi(backend);
    await client.post(pods, {
      ...pod('x'),
      spec: { ...(pod('x').spec as object), nodeName: 'n1' },
    });
    const exec = await client.post(`${pods}/x/exec?command=ls`, undefined);
    expect(exec.status).toBe(404);
    expectStatus(exec.body, 404, 'NotFound');
    const missing = await client.post(`${pods}/nope/exec?command=ls`, undefined);
    expect(missing.status).toBe(404);
  });

  it('never answers random bytes with a 5xx', async () => {
    const { client } = await startApi(backend);
    const samples = [
      '',
      'null',
      '[]',
      '42',
      '"str"',
      '{"apiVersion":7}',
      '{"metadata":[]}',
      '\u0000\u0001',
      '{"kind":"Pod","spec":null}',
    ];
    for (const raw of samples) {
      for (const [method, path] of [
        ['POST', pods],
        ['PUT', `${pods}/x`],
        ['PATCH', `${pods}/x`],
      ] as const) {
        const contentType =
          method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
        const res = await client.request(method, path, { raw, contentType });
        expect(res.status, `${method} ${JSON.stringify(raw)}: ${res.text}`).toBeLessThan(500);
        expect(res.body.kind, res.text).toBe('Status');
      }
    }
  });
});
