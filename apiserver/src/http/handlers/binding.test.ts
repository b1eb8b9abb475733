// pods/binding on the embedded store: what a binding writes into the pod, and a malformed
// Binding refused before it changes anything. The binding is the server's own trusted update of
// the pod (no re-defaulting or re-check of the pod, as Kubernetes' storage update), so the
// Binding itself is what is checked. Racing bindings: server/concurrency.test.ts.
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from '../../server/testing/api-fixture.js';
import { pod } from '../../server/testing/objects.js';

const [embedded] = apiServerBackends();
const pods = '/api/v1/namespaces/default/pods';

describe('pods/binding', () => {
  if (!embedded) throw new Error('no embedded backend');

  it('sets the node, the PodScheduled condition and the Binding’s annotations, and nothing else', async () => {
    const { client } = await startApi(embedded);
    const created = await client.post(pods, pod('web'));
    const res = await client.post(`${pods}/web/binding`, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web', annotations: { 'example.com/placed-by': 'test' } },
      target: { kind: 'Node', name: 'node-a' },
    });
    expect(res.status).toBe(201);
    const bound = await client.get(`${pods}/web`);
    const before = created.body as { spec: Record<string, unknown> };
    const after = bound.body as {
      spec: Record<string, unknown>;
      metadata: { annotations?: Record<string, string> };
      status: { conditions: { type: string; status: string }[] };
    };
    expect(after.spec).toEqual({ ...before.spec, nodeName: 'node-a' });
    expect(after.metadata.annotations).toEqual({ 'example.com/placed-by': 'test' });
    expect(after.status.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
    ]);
  });

  it.each([
    [
      'an annotation that is not a string',
      { name: 'web', annotations: { count: 3 } },
      'metadata.annotations[count]',
    ],
    ['labels that are not a map', { name: 'web', labels: ['a'] }, 'metadata.labels'],
  ])(
    'refuses a Binding with %s (422 with the field path) and leaves the pod unbound',
    async (_what, metadata, field) => {
      const { client } = await startApi(embedded);
      await client.post(pods, pod('web'));
      const res = await client.post(`${pods}/web/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata,
        target: { kind: 'Node', name: 'node-a' },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ reason: 'Invalid', details: { kind: 'Binding' } });
      expect(JSON.stringify(res.body)).toContain(field);
      const unchanged = await client.get(`${pods}/web`);
      expect((unchanged.body.spec as { nodeName?: string }).nodeName).toBeUndefined();
    },
  );

  it('still says target.name is required when the Binding has no target', async () => {
    const { client } = await startApi(embedded);
    await client.post(pods, pod('web'));
    const res = await client.post(`${pods}/web/binding`, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      details: { causes: [{ reason: 'FieldValueRequired', field: 'target.name' }] },
    });
  });
});
