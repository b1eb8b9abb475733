// The typed and dynamic clients against a real apiserver: every verb, every patch type,
// subresources, and server errors arriving as ApiErrors the predicates recognise.
import type { ConfigMap, Scale } from '@skiff/api';
import {
  makeConfigMap,
  makeDeployment,
  makeNamespace,
  makePod,
  type DeploymentBuilder,
} from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient, type Client } from './client.js';
import { ApiError, isAlreadyExists, isConflict, isInvalid, isNotFound, isStatus } from '@skiff/api';
import { startApiServer } from './testing/api-server.js';

// Two containers, so the patch cases can show which patch types keep a list's other items.
const appWithSidecar = makePod()
  .container('app', { image: 'nginx:1.27', env: [{ name: 'MODE', value: 'demo' }] })
  .container('sidecar', { image: 'busybox:1.36' })
  .template({ app: 'web' });

const deployment = (name: string): DeploymentBuilder =>
  makeDeployment().name(name).replicas(1).template(appWithSidecar);

async function connect(namespace = 'default'): Promise<Client> {
  const { url } = await startApiServer();
  const client = createClient({ server: url, namespace, qps: 100, burst: 100 });
  onTestFinished(() => client.close());
  return client;
}

describe('typed client CRUD', () => {
  it('creates, gets, updates and deletes a config map', async () => {
    const client = await connect();
    const configMaps = client.configMaps();

    const created = await configMaps.create(
      makeConfigMap().name('settings').data({ color: 'blue' }).obj(),
    );
    expect(created).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { color: 'blue' },
    });
    expect(created.metadata.uid).toBeTruthy();

    const read = await configMaps.get('settings');
    expect(read).toEqual(created);

    const updated = await configMaps.update({ ...read, data: { color: 'green' } });
    expect(updated.data).toEqual({ color: 'green' });
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    await configMaps.delete('settings');
    await expect(configMaps.get('settings')).rejects.toSatisfy(isNotFound);
  });

  it('uses the namespace it was given, else the client default', async () => {
    const client = await connect('team-a');
    await client.namespaces().create(makeNamespace().name('team-a').obj());
    await client.namespaces().create(makeNamespace().name('team-b').obj());
    await client.configMaps().create(makeConfigMap().name('a').obj());
    await client.configMaps('team-b').create(makeConfigMap().name('b').obj());
    expect((await client.configMaps().get('a')).metadata.namespace).toBe('team-a');
    expect((await client.configMaps('team-b').get('b')).metadata.namespace).toBe('team-b');
    await expect(client.configMaps('team-b').get('a')).rejects.toSatisfy(isNotFound);
  });

  it('works with cluster-scoped kinds', async () => {
    const client = await connect();
    await client.nodes().create({ metadata: { name: 'node-1' }, spec: {} });
    const nodes = await client.nodes().list();
    expect(nodes.items.map((n) => n.metadata.name)).toEqual(['node-1']);
    const namespaces = await client.namespaces().list();
    expect(namespaces.items.map((n) => n.metadata.name)).toContain('kube-system');
  });
});

describe('server errors', () => {
  it('answers 409 Conflict to an update with a stale resourceVersion', async () => {
    const client = await connect();
    const first = await client.configMaps().create(makeConfigMap().name('race').obj());
    await client.configMaps().update({ ...first, data: { by: 'one' } });
    const error = await client
      .configMaps()
      .update({ ...first, data: { by: 'two' } })
      .catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect((error as ApiError).code).toBe(409);
    expect((error as ApiError).status.details?.name).toBe('race');
  });

  it('answers AlreadyExists to a second create of the same name', async () => {
    const client = await connect();
    await client.configMaps().create(makeConfigMap().name('twice').obj());
    const error = await client
      .configMaps()
      .create(makeConfigMap().name('twice').obj())
      .catch((e: unknown) => e);
    expect(isAlreadyExists(error)).toBe(true);
    expect(isConflict(error)).toBe(false);
  });

  it('answers Invalid with the field path to an invalid object', async () => {
    const client = await connect();
    const bad = deployment('bad').obj();
    bad.spec.replicas = -1;
    const error = await client
      .deployments()
      .create(bad)
      .catch((e: unknown) => e);
    expect(isInvalid(error)).toBe(true);
    expect((error as ApiError).status.details?.causes).toContainEqual(
      expect.objectContaining({ field: 'spec.replicas' }),
    );
  });

  it('answers NotFound for a resource the server does not serve', async () => {
    const client = await connect();
    const widgets = client.resource({ group: 'example.com', version: 'v1', resource: 'widgets' });
    await expect(widgets.list()).rejects.toSatisfy(isNotFound);
  });
});

describe('patch', () => {
  it.each([
    {
      type: 'strategic' as const,
      patch: {
        spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } },
      },
      // Strategic merge matches containers by name: the sidecar stays, the env stays.
      images: ['nginx:1.28', 'busybox:1.36'],
      env: [{ name: 'MODE', value: 'demo' }],
    },
    {
      type: 'merge' as const,
      patch: {
        spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } },
      },
      // A JSON merge patch replaces lists whole.
      images: ['nginx:1.28'],
      env: undefined,
    },
    {
      type: 'json' as const,
      patch: [
        { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'busybox:1.37' },
      ],
      images: ['nginx:1.27', 'busybox:1.37'],
      env: [{ name: 'MODE', value: 'demo' }],
    },
  ])('applies a $type patch', async ({ type, patch, images, env }) => {
    const client = await connect();
    await client.deployments().create(deployment('web').obj());
    const patched = await client.deployments().patch('web', patch, { type });
    const containers = patched.spec.template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual(images);
    expect(containers[0]?.env).toEqual(env);
  });

  it('patches the status subresource only', async () => {
    const client = await connect();
    await client.deployments().create(deployment('web').obj());
    const patched = await client.deployments().patch(
      'web',
      { status: { replicas: 3 }, spec: { replicas: 9 } },
      {
        type: 'merge',
        subresource: 'status',
      },
    );
    expect(patched.status?.replicas).toBe(3);
    expect(patched.spec.replicas).toBe(1);
  });
});

describe('subresources', () => {
  it('updates status without touching spec', async () => {
    const client = await connect();
    const created = await client.deployments().create(deployment('web').obj());
    const updated = await client.deployments().updateStatus({
      ...created,
      spec: { ...created.spec, replicas: 5 },
      status: { replicas: 1, observedGeneration: 1 },
    });
    expect(updated.status).toMatchObject({ replicas: 1, observedGeneration: 1 });
    expect(updated.spec.replicas).toBe(1);
  });

  it('reads and writes the scale subresource', async () => {
    const client = await connect();
    await client.deployments().create(deployment('web').replicas(2).obj());
    const scale = await client.deployments().getSubresource<Scale>('web', 'scale');
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 } });
    await client.deployments().updateSubresource('web', 'scale', {
      ...scale,
      spec: { replicas: 4 },
    });
    expect((await client.deployments().get('web')).spec.replicas).toBe(4);
  });
});

describe('delete', () => {
  it('refuses a delete whose uid precondition does not hold', async () => {
    const client = await connect();
    await client.configMaps().create(makeConfigMap().name('keep').obj());
    const error = await client
      .configMaps()
      .delete('keep', { preconditions: { uid: 'not-its-uid' } })
      .catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    await client.configMaps().get('keep');
  });

  it('deletes with a propagation policy and a grace period', async () => {
    const client = await connect();
    const created = await client.deployments().create(deployment('web').obj());
    const answer = await client.deployments().delete('web', {
      propagationPolicy: 'Background',
      gracePeriodSeconds: 0,
      preconditions: { uid: created.metadata.uid },
    });
    expect(isStatus(answer) ? answer.status : answer.metadata?.name).toBeTruthy();
    await expect(client.deployments().get('web')).rejects.toSatisfy(isNotFound);
  });

  it('keeps an object with a finalizer and answers it with a deletionTimestamp', async () => {
    const client = await connect();
    await client.configMaps().create({
      ...makeConfigMap().name('held').obj(),
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    const answer = await client.configMaps().delete('held');
    expect(isStatus(answer)).toBe(false);
    expect((answer as ConfigMap).metadata.deletionTimestamp).toBeTruthy();
    await client.configMaps().patch('held', { metadata: { finalizers: null } }, { type: 'merge' });
    await expect(client.configMaps().get('held')).rejects.toSatisfy(isNotFound);
  });

  it('deletes the collection a label selector picks', async () => {
    const client = await connect();
    for (const name of ['a', 'b', 'c']) {
      await client.configMaps().create(
        makeConfigMap()
          .name(name)
          .labels({ tier: name === 'c' ? 'db' : 'web' })
          .obj(),
      );
    }
    await client.configMaps().deleteCollection({ labelSelector: { tier: 'web' } });
    const left = await client.configMaps().list();
    expect(left.items.map((c) => c.metadata.name)).toEqual(['c']);
  });
});

describe('dynamic client', () => {
  it('serves any group/version/resource with plain objects', async () => {
    const client = await connect();
    const gvr = { group: 'apps', version: 'v1', resource: 'deployments' };
    const deployments = client.resource(gvr, 'default');
    const created = await deployments.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      ...deployment('dyn').obj(),
    });
    expect(created.metadata?.uid).toBeTruthy();
    const spec = (await deployments.get('dyn')).spec as { replicas: number };
    expect(spec.replicas).toBe(1);
    await deployments.patch('dyn', { spec: { replicas: 3 } }, { type: 'merge' });
    const everywhere = await client.resource(gvr).list();
    expect(everywhere.items.map((d) => [d.metadata?.namespace, d.metadata?.name])).toEqual([
      ['default', 'dyn'],
    ]);
    await deployments.delete('dyn');
    await expect(deployments.get('dyn')).rejects.toBeInstanceOf(ApiError);
  });
});
