// Keeps the tutorial honest: its final step, run against a real apiserver, does what the
// README says — children with owner references, convergence, status with observedGeneration
// and conditions, the directory entry and its finalizer-guarded cleanup.
import type { Deployment } from '@skiff/api';
import { isNotFound, type Client } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { EVENTUALLY, startCluster } from '../testing/cluster.js';
import { installCrd } from '../src/index.js';
import { setupHello } from './steps/01-hello-reconcile.js';
import { DIRECTORY, FINALIZER, setupWebsiteController } from './steps/05-finalizer.js';
import { CRD_FILE, websiteKind, type Website } from './steps/website.js';

const NS = 'default';

function website(name: string, replicas: number): Website {
  return {
    apiVersion: 'tutorial.skiff.dev/v1',
    kind: 'Website',
    metadata: { name, namespace: NS },
    spec: { image: 'nginx:1.27', replicas, port: 8080 },
  };
}

const sites = (client: Client) => client.resource<Website>(websiteKind, NS);

async function orAbsent<T>(read: Promise<T>): Promise<T | 'absent'> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return 'absent';
    throw err;
  }
}

describe('the tutorial', () => {
  it('step 1 hears about a Website by name and sees it gone after delete', async () => {
    const cluster = await startCluster();
    await installCrd(cluster.client, CRD_FILE);
    const manager = cluster.newManager();
    const lines: string[] = [];
    setupHello(manager, (line) => lines.push(line));
    cluster.start(manager);
    await sites(cluster.client).create(website('hello', 2));
    await expect
      .poll(() => lines, EVENTUALLY)
      .toContain('default/hello: wants 2 × nginx:1.27 on port 8080');
    await sites(cluster.client).delete('hello');
    await expect.poll(() => lines, EVENTUALLY).toContain('default/hello: gone');
  });

  it('step 5 runs a Website end to end', async () => {
    const cluster = await startCluster();
    const { client } = cluster;
    await installCrd(client, CRD_FILE);
    const manager = cluster.newManager();
    setupWebsiteController(manager);
    cluster.start(manager);

    const created = await sites(client).create(website('shop', 2));

    // Children, controlled by the Website.
    await expect
      .poll(() => orAbsent(client.deployments(NS).get('shop')), EVENTUALLY)
      .not.toBe('absent');
    const d = await client.deployments(NS).get('shop');
    expect(d.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Website',
        name: 'shop',
        uid: created.metadata.uid,
        controller: true,
      }),
    ]);
    expect(d.spec.replicas).toBe(2);
    await expect
      .poll(() => orAbsent(client.services(NS).get('shop')), EVENTUALLY)
      .not.toBe('absent');

    // Status: not ready (nothing runs the pods here), describing generation 1.
    await expect
      .poll(async () => (await sites(client).get('shop')).status, EVENTUALLY)
      .toMatchObject({
        observedGeneration: 1,
        readyReplicas: 0,
        url: 'http://shop.default.svc:8080',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ReplicasNotReady' }],
      });
    const withFinalizer = await sites(client).get('shop');
    expect(withFinalizer.metadata.finalizers).toEqual([FINALIZER]);
    await expect
      .poll(async () => (await client.configMaps(NS).get(DIRECTORY.name)).data, EVENTUALLY)
      .toEqual({
        'default.shop': 'http://shop.default.svc:8080',
      });

    // A spec change converges the Deployment and moves observedGeneration.
    await sites(client).update({ ...withFinalizer, spec: { ...withFinalizer.spec, replicas: 3 } });
    await expect
      .poll(async () => (await client.deployments(NS).get('shop')).spec.replicas, EVENTUALLY)
      .toBe(3);
    await expect
      .poll(async () => (await sites(client).get('shop')).status?.observedGeneration, EVENTUALLY)
      .toBe(2);

    // What the deployment controller would report once pods run: the Website turns Ready.
    const current = await client.deployments(NS).get('shop');
    const status: Deployment['status'] = {
      replicas: 3,
      readyReplicas: 3,
      observedGeneration: current.metadata.generation,
    };
    await client.deployments(NS).updateStatus({ ...current, status });
    await expect
      .poll(async () => (await sites(client).get('shop')).status?.conditions?.[0], EVENTUALLY)
      .toMatchObject({ type: 'Ready', status: 'True', message: '3/3 replicas ready' });

    // A hand edit of the Deployment is undone.
    const edited = await client.deployments(NS).get('shop');
    const containers = edited.spec.template.spec?.containers ?? [];
    await client.deployments(NS).update({
      ...edited,
      spec: {
        ...edited.spec,
        template: {
          ...edited.spec.template,
          spec: {
            ...edited.spec.template.spec,
            containers: containers.map((c) => ({ ...c, image: 'evil:1' })),
          },
        },
      },
    });
    await expect
      .poll(
        async () =>
          (await client.deployments(NS).get('shop')).spec.template.spec?.containers[0]?.image,
        EVENTUALLY,
      )
      .toBe('nginx:1.27');

    // Delete: the finalizer holds the Website until its directory entry is gone.
    await sites(client).delete('shop');
    await expect.poll(() => orAbsent(sites(client).get('shop')), EVENTUALLY).toBe('absent');
    expect((await client.configMaps(NS).get(DIRECTORY.name)).data ?? {}).toEqual({});
    expect(cluster.logs.filter((line) => /error/.test(line))).toEqual([]);
  });
});
