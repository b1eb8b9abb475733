// Step 3's reconcile, unit-tested the way sample-controller's controller_test.go does it: no
// apiserver, no informers running. Seed the listers with the cluster as the reconcile would see
// it, hand it a fake client holding the same objects, run one reconcile, and assert on the
// requests it made (the fake records them as actions). Fast and exact, where tutorial.test.ts
// shows the whole controller working against a real apiserver.
import type { Deployment, Service } from '@skiff/api';
import { isConflict, apiErrors } from '@skiff/api';
import { Indexer, Lister, type KubeObject } from '@skiff/client';
import { createFakeClient, type Action } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { desiredDeployment, desiredService } from './steps/02-create-children.js';
import { reconcileChildren, type Caches } from './steps/03-converge.js';
import type { Website } from './steps/website.js';

const site: Website = {
  apiVersion: 'tutorial.skiff.dev/v1',
  kind: 'Website',
  metadata: { name: 'shop', namespace: 'default', uid: 'site-uid' },
  spec: { image: 'nginx:1.27', replicas: 3, port: 8080 },
};

/** A lister over exactly these objects: what the informer's cache would hold. */
function listerOf<T extends KubeObject>(...objects: T[]): Lister<T> {
  const indexer = new Indexer<T>();
  for (const object of objects) indexer.set(object);
  return new Lister(indexer);
}

/** The cluster as the reconcile sees it: the same objects in its caches and behind its client. */
function world(children: { deployment?: Deployment; service?: Service }) {
  const { deployment, service } = children;
  const caches: Caches = {
    websites: listerOf(site),
    deployments: listerOf(...(deployment ? [deployment] : [])),
    services: listerOf(...(service ? [service] : [])),
  };
  const client = createFakeClient({
    objects: [deployment, service].filter((o): o is Deployment | Service => o !== undefined),
  });
  return { caches, client };
}

/** What each action did to which object: the shape sample-controller's tests compare. */
const summary = (actions: Action[]) =>
  actions.map((a) => `${a.verb} ${a.resource} ${a.namespace ?? ''}/${a.name ?? ''}`);

describe("step 3's reconcile, on the fake client", () => {
  it('creates the Deployment and the Service a new Website needs', async () => {
    const { caches, client } = world({});
    await reconcileChildren(client, caches, site);
    expect(summary(client.actions())).toEqual([
      'create deployments default/shop',
      'create services default/shop',
    ]);
    const created = client.actions()[0]?.object as Deployment;
    expect(created.spec.replicas).toBe(3);
    expect(created.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Website',
      uid: 'site-uid',
    });
  });

  it('updates only the child that drifted, and only the fields it owns', async () => {
    const drifted = desiredDeployment(site);
    drifted.spec.replicas = 1;
    const { caches, client } = world({ deployment: drifted, service: desiredService(site) });
    await reconcileChildren(client, caches, site);
    expect(summary(client.actions())).toEqual(['update deployments default/shop']);
    expect((await client.deployments('default').get('shop')).spec.replicas).toBe(3);
  });

  it('writes nothing when everything already matches (idempotence)', async () => {
    const { caches, client } = world({
      deployment: desiredDeployment(site),
      service: desiredService(site),
    });
    await reconcileChildren(client, caches, site);
    expect(client.actions()).toEqual([]);
  });

  it('fails with the Conflict when its cached copy is stale, so the queue retries it', async () => {
    const drifted = desiredDeployment(site);
    drifted.spec.replicas = 1;
    const { caches, client } = world({ deployment: drifted, service: desiredService(site) });
    client.prependReactor('update', 'deployments', (action) => ({
      error: apiErrors.staleResourceVersion(
        { group: 'apps', resource: 'deployments' },
        action.name ?? '',
      ),
    }));
    await expect(reconcileChildren(client, caches, site)).rejects.toSatisfy(isConflict);
    expect(summary(client.actions())).toEqual(['update deployments default/shop']);
  });
});
