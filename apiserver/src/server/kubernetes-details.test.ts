// Small things clients check that are easy to get subtly different from kube-apiserver:
// discovery's storageVersionHash, the answer to a non-JSON body sent as JSON, default
// tolerations on replace, a Node's status on create and Status details of core resources.
import { builtinKinds } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { storageVersionHash } from '../routing/discovery.js';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { pod } from './testing/objects.js';

const embedded = apiServerBackends().filter((b) => b.name === 'embedded');

interface ApiResource {
  name: string;
  singularName: string;
  storageVersionHash?: string;
  categories?: string[];
  shortNames?: string[];
}

describe.each(embedded)('Kubernetes details on $name storage', (backend) => {
  it.each([
    // Values kube-apiserver serves (sha256 of group/version/kind, first 8 bytes, base64).
    ['', 'v1', 'Pod', 'xPOwRZ+Yhw8='],
    ['apps', 'v1', 'Deployment', '8aSe+NMegvE='],
  ])('computes storageVersionHash of %s/%s/%s as kube-apiserver does', (g, v, k, hash) => {
    expect(storageVersionHash(g, v, k)).toBe(hash);
  });

  it('gives every resource a storageVersionHash and no subresource one', async () => {
    const { client } = await startApi(backend);
    for (const kind of builtinKinds) {
      const path = kind.group === '' ? '/api/v1' : `/apis/${kind.group}/${kind.version}`;
      const list = await client.get(path);
      const resources = list.body.resources as ApiResource[];
      const main = resources.find((r) => r.name === kind.resource);
      expect(main?.storageVersionHash).toBe(
        storageVersionHash(kind.group, kind.version, kind.kind),
      );
      expect(main?.singularName).toBe(kind.kind.toLowerCase());
      for (const sub of resources.filter((r) => r.name.startsWith(`${kind.resource}/`))) {
        expect(sub.storageVersionHash).toBeUndefined();
      }
    }
  });

  it('puts pods, services, replicasets and deployments in the all category', async () => {
    const { client } = await startApi(backend);
    const core = (await client.get('/api/v1')).body.resources as ApiResource[];
    const apps = (await client.get('/apis/apps/v1')).body.resources as ApiResource[];
    const inAll = [...core, ...apps]
      .filter((r) => r.categories?.includes('all'))
      .map((r) => r.name);
    expect(inAll.sort()).toEqual(['deployments', 'pods', 'replicasets', 'services']);
    expect(core.find((r) => r.name === 'pods')?.shortNames).toEqual(['po']);
  });

  it('answers YAML sent as application/json like kube-apiserver (kubectl create --raw)', async () => {
    const { client } = await startApi(backend);
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: valid-pod\n';
    const res = await client.request('POST', '/api/v1/namespaces', {
      raw: yaml,
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    const hex = Buffer.from(yaml).subarray(0, 30).toString('hex');
    expect(res.body.message).toBe(
      'the object provided is unrecognized (must be of type Namespace): ' +
        "couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value " +
        `(${hex} ...)`,
    );
  });

  it('keeps the default tolerations when a pod is replaced without them', async () => {
    const { client } = await startApi(backend);
    const path = '/api/v1/namespaces/default/pods/web';
    const created = await client.post('/api/v1/namespaces/default/pods', pod('web'));
    expect(created.status, created.text).toBe(201);
    // kubectl replace sends the manifest as written: no tolerations, the stored resourceVersion.
    const manifest = pod('web');
    const replaced = await client.put(path, {
      ...manifest,
      metadata: {
        ...(manifest.metadata as object),
        resourceVersion: created.body.metadata?.resourceVersion,
        annotations: { saved: 'config' },
      },
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect((replaced.body.spec as { tolerations: unknown[] }).tolerations).toEqual(
      (created.body.spec as { tolerations: unknown[] }).tolerations,
    );
  });

  it('keeps the status a Node is created with (kubelet registration)', async () => {
    const { client } = await startApi(backend);
    const status = {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: '2026-01-01T00:00:00Z',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    const created = await client.post('/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.status).toMatchObject(status);
    // The main resource still cannot change status afterwards: that is /status's job.
    const updated = await client.put('/api/v1/nodes/n1', {
      ...created.body,
      status: { ...status, capacity: { cpu: '1' } },
    });
    expect((updated.body.status as typeof status).capacity.cpu).toBe('4');
  });

  it('omits details.group in Status bodies of core resources', async () => {
    const { client } = await startApi(backend);
    const missing = await client.get('/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.details).toEqual({ name: 'nope', kind: 'pods' });
    const missingApps = await client.get('/apis/apps/v1/namespaces/default/deployments/nope');
    expect(missingApps.body.details).toEqual({ name: 'nope', group: 'apps', kind: 'deployments' });
  });
});
