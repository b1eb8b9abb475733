// A real controller end to end against a real apiserver: the builder's for/owns/watches wiring,
// the manager's start (informers, sync, workers) and a reconciler reacting to creates, updates
// and deletes.
import type { ConfigMap } from '@skiff/api';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestCluster, until, type TestCluster } from '../informers/testing/test-cluster.js';
import { isNotFound } from '../rest/index.js';
import { controllerFor } from './builder.js';
import { Manager } from './manager.js';
import type { Request } from './reconciler.js';
import { addMirrorController, mirrorName } from './testing/mirror-controller.js';

const NS = 'default';

function configMap(name: string, data: Record<string, string>, mirror = true): ConfigMap {
  return { metadata: { name, namespace: NS, labels: { mirror: String(mirror) } }, data };
}

/** A started manager on the cluster; stopped (and awaited) when the test finishes. */
function startManager(cluster: TestCluster, manager: Manager): void {
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await running;
  });
}

function newManager(cluster: TestCluster, logs: string[] = []): Manager {
  return new Manager({
    client: cluster.client,
    registry: new Registry(),
    log: (message) => logs.push(message),
  });
}

async function mirrorData(cluster: TestCluster, name: string): Promise<unknown> {
  try {
    return (await cluster.client.configMaps(NS).get(mirrorName(name))).data;
  } catch (err) {
    if (isNotFound(err)) return 'absent';
    throw err;
  }
}

describe('a controller built with controllerFor(manager)', () => {
  it('mirrors a ConfigMap on create, update and delete', async () => {
    const cluster = await startTestCluster();
    const manager = newManager(cluster);
    addMirrorController(manager);
    startManager(cluster, manager);

    await cluster.client.configMaps(NS).create(configMap('app', { color: 'blue' }));
    await expect.poll(() => mirrorData(cluster, 'app')).toEqual({ color: 'blue' });

    const app = await cluster.client.configMaps(NS).get('app');
    await cluster.client.configMaps(NS).update({ ...app, data: { color: 'green' } });
    await expect.poll(() => mirrorData(cluster, 'app')).toEqual({ color: 'green' });

    await cluster.client.configMaps(NS).delete('app');
    await expect.poll(() => mirrorData(cluster, 'app')).toBe('absent');
  });

  it('reconciles what existed before it started (the initial list is level, not history)', async () => {
    const cluster = await startTestCluster();
    await cluster.client.configMaps(NS).create(configMap('early', { a: '1' }));
    const manager = newManager(cluster);
    addMirrorController(manager);
    startManager(cluster, manager);
    await expect.poll(() => mirrorData(cluster, 'early')).toEqual({ a: '1' });
  });

  it('maps a change to an owned object back to its controller owner (owns)', async () => {
    const cluster = await startTestCluster();
    const manager = newManager(cluster);
    const requests: Request[] = [];
    addMirrorController(manager, (r) => requests.push(r));
    startManager(cluster, manager);
    await cluster.client.configMaps(NS).create(configMap('app', { color: 'blue' }));
    await expect.poll(() => mirrorData(cluster, 'app')).toEqual({ color: 'blue' });

    // Someone edits the copy: the owner's reconcile puts it back.
    const copy = await cluster.client.configMaps(NS).get(mirrorName('app'));
    requests.length = 0;
    await cluster.client.configMaps(NS).update({ ...copy, data: { color: 'red' } });
    await expect.poll(() => mirrorData(cluster, 'app')).toEqual({ color: 'blue' });
    expect(requests).toContainEqual({ namespace: NS, name: 'app' });

    // Someone deletes the copy: it comes back.
    await cluster.client.configMaps(NS).delete(mirrorName('app'));
    await expect.poll(() => mirrorData(cluster, 'app')).toEqual({ color: 'blue' });
  });

  it('does not map objects whose controller is of another kind, or not a controller', async () => {
    const cluster = await startTestCluster();
    const manager = newManager(cluster);
    const requests: Request[] = [];
    controllerFor(manager)
      .named('owner-kinds')
      .for('secrets')
      .owns('configMaps')
      .complete(async (request) => {
        requests.push(request);
        return {};
      });
    startManager(cluster, manager);
    const uid = '6c1b7a52-0000-4000-8000-000000000001';
    const ref = { apiVersion: 'v1', name: 'owner', uid };
    await cluster.client.configMaps(NS).create({
      metadata: {
        name: 'a',
        namespace: NS,
        ownerReferences: [{ ...ref, kind: 'Secret', controller: true }],
      },
    });
    await cluster.client.configMaps(NS).create({
      metadata: {
        name: 'b',
        namespace: NS,
        ownerReferences: [{ ...ref, name: 'other', kind: 'Secret' }],
      },
    });
    await cluster.client.configMaps(NS).create({
      metadata: {
        name: 'c',
        namespace: NS,
        ownerReferences: [{ ...ref, name: 'pod', kind: 'Pod', controller: true }],
      },
    });
    await until(() => requests.length > 0, 'the owner request');
    // Give the other two creates' notifications the same chance to arrive.
    await cluster.client.secrets(NS).create({ metadata: { name: 'marker', namespace: NS } });
    await until(() => requests.some((r) => r.name === 'marker'), 'the marker secret');
    expect(requests.filter((r) => r.name !== 'marker')).toEqual([{ namespace: NS, name: 'owner' }]);
  });

  it('routes any kind through a map function (watches)', async () => {
    const cluster = await startTestCluster();
    const manager = newManager(cluster);
    const requests: Request[] = [];
    controllerFor(manager)
      .named('by-annotation')
      .watches('configMaps', (cm) => {
        const target = cm.metadata?.annotations?.['example.com/notify'];
        return target ? [{ namespace: cm.metadata?.namespace ?? NS, name: target }] : [];
      })
      .complete(async (request) => {
        requests.push(request);
        return {};
      });
    startManager(cluster, manager);
    await cluster.client.configMaps(NS).create({
      metadata: { name: 'x', namespace: NS, annotations: { 'example.com/notify': 'someone' } },
    });
    await until(() => requests.length > 0, 'the mapped request');
    expect(requests[0]).toEqual({ namespace: NS, name: 'someone' });
  });

  it('refuses an incomplete or duplicate controller', async () => {
    const cluster = await startTestCluster();
    const manager = newManager(cluster);
    const noop = async () => ({});
    expect(() => controllerFor(manager).owns('pods').named('x').complete(noop)).toThrow(
      /owns\(\) needs for\(\)/,
    );
    expect(() => controllerFor(manager).complete(noop)).toThrow(/needs for\(\) or named\(\)/);
    controllerFor(manager).for('pods').complete(noop);
    expect(() => controllerFor(manager).for('pods').complete(noop)).toThrow(
      /a controller named pod is already registered/,
    );
  });
});
