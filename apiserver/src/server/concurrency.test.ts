// Optimistic concurrency over HTTP: stale updates, racing read-modify-write clients, racing
// bindings and racing cluster IP allocations, on both backends.
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import type { ApiClient } from './testing/api-client.js';
import { kindNamed, objectOf, pod, service } from './testing/objects.js';

const backends = apiServerBackends();
const cmPath = '/api/v1/namespaces/default/configmaps';

async function counter(client: ApiClient): Promise<void> {
  const res = await client.post(cmPath, {
    ...objectOf(kindNamed('ConfigMap'), 'counter'),
    data: { n: '0' },
  });
  expect(res.status).toBe(201);
}

describe.each(backends)('concurrency on $name storage', (backend) => {
  it('returns 409 when resourceVersion is stale, with Kubernetes message', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces/default/pods', pod('x'));
    const first = await client.get('/api/v1/namespaces/default/pods/x');
    const winner = await client.put('/api/v1/namespaces/default/pods/x', {
      ...first.body,
      metadata: { ...first.body.metadata, labels: { v: '1' } },
    });
    expect(winner.status).toBe(200);
    const loser = await client.put('/api/v1/namespaces/default/pods/x', {
      ...first.body,
      metadata: { ...first.body.metadata, labels: { v: '2' } },
    });
    expect(loser.status).toBe(409);
    expect(loser.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'x', kind: 'pods' },
    });
  });

  it('ends concurrent read-modify-write clients at the number of successful updates', async () => {
    const { client } = await startApi(backend);
    await counter(client);
    const clients = 8;
    const rounds = 5;
    let successes = 0;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < rounds; i++) {
          const current = await client.get(`${cmPath}/counter`);
          const n = Number((current.body.data as { n: string }).n);
          const res = await client.put(`${cmPath}/counter`, {
            ...current.body,
            data: { n: String(n + 1) },
          });
          if (res.status === 200) successes++;
          else if (res.status === 409) conflicts++;
          else throw new Error(`unexpected ${res.status}: ${res.text}`);
        }
      }),
    );
    const final = await client.get(`${cmPath}/counter`);
    expect(Number((final.body.data as { n: string }).n)).toBe(successes);
    expect(successes + conflicts).toBe(clients * rounds);
    expect(successes).toBeGreaterThan(0);
  });

  it('applies every unconditional update when clients race without resourceVersions', async () => {
    const { client } = await startApi(backend);
    await counter(client);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.patch(
          `${cmPath}/counter`,
          { data: { [`k${i}`]: 'v' } },
          'application/merge-patch+json',
        ),
      ),
    );
    for (const r of results) expect(r.status, r.text).toBe(200);
    const final = await client.get(`${cmPath}/counter`);
    expect(Object.keys(final.body.data as object)).toHaveLength(21);
  });

  it('binds a pod once when two bindings race: one 201, one 409', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces/default/pods', pod('web'));
    const bind = (node: string): ReturnType<ApiClient['post']> =>
      client.post('/api/v1/namespaces/default/pods/web/binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'web' },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    const [a, b] = await Promise.all([bind('node-a'), bind('node-b')]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.reason).toBe('Conflict');
    expect(loser.body.message).toMatch(/is already assigned to node "node-[ab]"/);
    const bound = await client.get('/api/v1/namespaces/default/pods/web');
    const winner = a.status === 201 ? 'node-a' : 'node-b';
    expect((bound.body.spec as { nodeName: string }).nodeName).toBe(winner);
    expect((bound.body.status as { conditions: unknown[] }).conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
    );
    const again = await bind('node-c');
    expect(again.status).toBe(409);
  });

  it('refuses to bind a pod that is being deleted', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces/default/pods', {
      ...pod('web'),
      metadata: { name: 'web', finalizers: ['example.com/hold'] },
    });
    await client.delete('/api/v1/namespaces/default/pods/web');
    const res = await client.post('/api/v1/namespaces/default/pods/web/binding', {
      kind: 'Binding',
      apiVersion: 'v1',
      metadata: { name: 'web' },
      target: { kind: 'Node', name: 'n' },
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('is being deleted, cannot be assigned to a host');
  });

  it('allocates distinct cluster IPs to services created concurrently and releases them on delete', async () => {
    const { client } = await startApi(backend, { serviceCidr: '10.0.0.0/28' });
    // 14 host addresses; .1 is the kubernetes service's: 13 remain for 13 services.
    const results = await Promise.all(
      Array.from({ length: 13 }, (_, i) =>
        client.post('/api/v1/namespaces/default/services', service(`s${i}`, {})),
      ),
    );
    for (const r of results) expect(r.status, r.text).toBe(201);
    const ips = results.map((r) => (r.body.spec as { clusterIP: string }).clusterIP);
    expect(new Set(ips).size).toBe(13);
    for (const ip of ips) expect(ip).toMatch(/^10\.0\.0\.([2-9]|1[0-4])$/);

    const full = await client.post('/api/v1/namespaces/default/services', service('extra', {}));
    expect(full.status).toBe(500);
    expect(full.body.message).toContain('range 10.0.0.0/28 is full');

    expect((await client.delete('/api/v1/namespaces/default/services/s0')).status).toBe(200);
    const reuse = await client.post(
      '/api/v1/namespaces/default/services',
      service('again', { clusterIP: ips[0] }),
    );
    expect(reuse.status, reuse.text).toBe(201);
  });

  it('honours a requested cluster IP and refuses one already allocated or out of range with 422', async () => {
    const { client } = await startApi(backend);
    const ok = await client.post(
      '/api/v1/namespaces/default/services',
      service('a', { clusterIP: '10.96.0.10' }),
    );
    expect((ok.body.spec as { clusterIPs: string[] }).clusterIPs).toEqual(['10.96.0.10']);
    const taken = await client.post(
      '/api/v1/namespaces/default/services',
      service('b', { clusterIP: '10.96.0.10' }),
    );
    expect(taken.status).toBe(422);
    expect(taken.body.message).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    expect(taken.body.details).toMatchObject({
      causes: [{ field: 'spec.clusterIPs', reason: 'FieldValueInvalid' }],
    });
    const outside = await client.post(
      '/api/v1/namespaces/default/services',
      service('c', { clusterIP: '192.168.0.1' }),
    );
    expect(outside.status).toBe(422);
    expect(outside.body.message).toContain(
      'is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    const kubernetes = await client.post(
      '/api/v1/namespaces/default/services',
      service('d', { clusterIP: '10.96.0.1' }),
    );
    expect(kubernetes.status).toBe(422);
  });

  it('gives headless services no IP and allocates node ports for NodePort services', async () => {
    const { client } = await startApi(backend);
    const headless = await client.post(
      '/api/v1/namespaces/default/services',
      service('h', { clusterIP: 'None' }),
    );
    expect(headless.body.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });

    const np = await client.post(
      '/api/v1/namespaces/default/services',
      service('np', { type: 'NodePort' }),
    );
    const port = (np.body.spec as { ports: { nodePort: number }[] }).ports[0]?.nodePort ?? 0;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const clash = await client.post(
      '/api/v1/namespaces/default/services',
      service('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }),
    );
    expect(clash.status).toBe(422);
    expect(clash.body.message).toContain(
      `spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`,
    );
    const low = await client.post(
      '/api/v1/namespaces/default/services',
      service('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
    );
    expect(low.status).toBe(422);
    expect(low.body.message).toContain(
      'provided port is not in the valid range. The range of valid ports is 30000-32767',
    );

    // Turning the service back into ClusterIP gives the node port back.
    const back = await client.patch(
      '/api/v1/namespaces/default/services/np',
      { spec: { type: 'ClusterIP' } },
      'application/merge-patch+json',
    );
    expect(back.status, back.text).toBe(200);
    expect(
      (back.body.spec as { ports: { nodePort?: number }[] }).ports[0]?.nodePort,
    ).toBeUndefined();
    const reuse = await client.post(
      '/api/v1/namespaces/default/services',
      service('np4', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }),
    );
    expect(reuse.status, reuse.text).toBe(201);
  });

  it('never hands out an allocated IP again after a restart on the same store', async () => {
    const first = await startApi(backend, { serviceCidr: '10.0.0.0/29' });
    const a = await first.client.post('/api/v1/namespaces/default/services', service('a', {}));
    expect(a.status).toBe(201);
    await first.server.close();
    const second = await startApi(backend, { serviceCidr: '10.0.0.0/29' }, first.storage);
    const created = await Promise.all(
      ['b', 'c', 'd', 'e'].map((n) =>
        second.client.post('/api/v1/namespaces/default/services', service(n, {})),
      ),
    );
    const ips = [a, ...created].map((r) => (r.body.spec as { clusterIP: string }).clusterIP);
    // /29: .1–.6 usable, .1 is kubernetes': five services fill it exactly.
    expect(new Set(ips).size).toBe(5);
  });
});
