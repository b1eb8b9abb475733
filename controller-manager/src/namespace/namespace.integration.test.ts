// The namespace controller against a real apiserver (no kubelets): a deleted namespace holding a
// ConfigMap, an unbound pod, a pod bound to a node and a custom resource is emptied — the bound
// pod waits for its "kubelet" (the test) meanwhile, which the conditions say — and then goes.
import { isNotFound, type Namespace } from '@skiff/api';
import { makeConfigMap, makeNamespace, makePod } from '@skiff/api/testing';
import type { Client } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';
import { installWidgets, widgets } from '../testing/widget-crd.js';

async function namespaceOrGone(client: Client, name: string): Promise<Namespace | 'gone'> {
  try {
    return await client.namespaces().get(name);
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    throw err;
  }
}

// A real apiserver and controller-manager: each wait is for a real condition (`eventually`, up
// to 60 s); the test gets the time a loaded 2-core machine needs.
describe('namespace controller on a real apiserver', { timeout: 120_000 }, () => {
  it('deletes every kind of content, custom resources included, then the namespace', async () => {
    const api = await startApiServer();
    const { client } = api;
    await installWidgets(client);
    await client.namespaces().create(makeNamespace().name('lab').obj());
    await client.configMaps('lab').create(makeConfigMap().name('settings').namespace('lab').obj());
    await client.pods('lab').create(makePod().name('unbound').namespace('lab').obj());
    const bound = makePod().name('bound').namespace('lab').node('n1').obj();
    // A short grace period: the controller looks again after half of it, plus a second.
    await client
      .pods('lab')
      .create({ ...bound, spec: { ...bound.spec, terminationGracePeriodSeconds: 2 } });
    await client.resource(widgets, 'lab').create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    });

    const run = await startControllerManagerFor(api, { controllers: ['namespace'] });
    expect(run.started).toEqual(['namespace']);
    await client.namespaces().delete('lab');

    // Everything but the bound pod goes at once; that one waits for its kubelet.
    const waiting = await eventually(
      () => namespaceOrGone(client, 'lab'),
      (ns) =>
        ns !== 'gone' &&
        (ns.status?.conditions ?? []).some(
          (c) =>
            c.type === 'NamespaceContentRemaining' &&
            c.message === 'Some resources are remaining: pods. has 1 resource instances',
        ),
      'the bound pod reported remaining',
    );
    expect(waiting).not.toBe('gone');
    expect((await client.configMaps('lab').list()).items).toEqual([]);
    expect((await client.resource(widgets, 'lab').list()).items).toEqual([]);
    const pods = (await client.pods('lab').list()).items;
    expect(pods.map((p) => [p.metadata.name, Boolean(p.metadata.deletionTimestamp)])).toEqual([
      ['bound', true],
    ]);

    // The kubelet confirms the pod stopped; the namespace then goes.
    await client.pods('lab').delete('bound', { gracePeriodSeconds: 0 });
    await eventually(
      () => namespaceOrGone(client, 'lab'),
      (ns) => ns === 'gone',
      'lab gone',
    );
  });

  it('keeps content an unknown finalizer holds, saying so, until the finalizer is removed', async () => {
    const api = await startApiServer();
    const { client } = api;
    await client.namespaces().create(makeNamespace().name('held').obj());
    await client
      .configMaps('held')
      .create(makeConfigMap().name('c').namespace('held').finalizers('example.com/hold').obj());
    await startControllerManagerFor(api, { controllers: ['namespace'] });
    await client.namespaces().delete('held');
    const ns = await eventually(
      () => namespaceOrGone(client, 'held'),
      (n) =>
        n !== 'gone' &&
        (n.status?.conditions ?? []).some(
          (c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True',
        ),
      'the finalizer reported',
    );
    expect(
      ns !== 'gone' &&
        ns.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining'),
    ).toMatchObject({
      reason: 'SomeFinalizersRemain',
      message:
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    await client
      .configMaps('held')
      .patch('c', { metadata: { finalizers: null } }, { type: 'merge' });
    await eventually(
      () => namespaceOrGone(client, 'held'),
      (n) => n === 'gone',
      'held gone',
      60_000,
    );
  });
});
