import {
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isGone,
  isNotFound,
  type ConfigMap,
  type Pod,
  type Scale,
  type Status,
} from '@skiff/api';
import {
  makeConfigMap,
  makeDeployment,
  makeNamespace,
  makeNode,
  makePod,
} from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../rest/watch.js';
import { SharedInformerFactory } from '../../informers/factory.js';
import { createFakeClient, type FakeClient } from './fake-client.js';
import { FakeWatch } from './fake-watch.js';

interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string };
  spec: { size: number };
}

const pod = (name: string, ns = 'ns') => makePod().name(name).namespace(ns);

/** The first `count` events of a watch, then stops it. */
async function take<T>(watch: AsyncIterable<WatchEvent<T>> & { stop(): void }, count: number) {
  const seen: [string, string | undefined, string | undefined][] = [];
  for await (const event of watch) {
    const meta = (event.object as { metadata?: { name?: string; resourceVersion?: string } })
      .metadata;
    seen.push([event.type, meta?.name, meta?.resourceVersion]);
    if (seen.length === count) break;
  }
  return seen;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

describe('FakeClient: the verbs, as the apiserver answers them', () => {
  it('creates with server-owned metadata and one resourceVersion counter for all resources', async () => {
    const client = createFakeClient();
    const a = await client.pods('ns').create(pod('a').obj());
    const cm = await client.configMaps('ns').create(makeConfigMap().name('c').obj());
    expect(a.metadata).toMatchObject({
      name: 'a',
      namespace: 'ns',
      uid: '00000000-0000-4000-8000-000000000001',
      resourceVersion: '1',
      creationTimestamp: '2026-01-01T00:00:00Z',
      generation: 1,
    });
    expect(a.status).toEqual({ phase: 'Pending' });
    expect(cm.metadata.resourceVersion).toBe('2');
    expect(client.tracker.resourceVersion).toBe('2');
    expect(await client.pods('ns').get('a')).toEqual(a);
  });

  it.each<[string, (c: FakeClient) => Promise<unknown>, (err: unknown) => boolean, string]>([
    ['get of a missing object', (c) => c.pods('ns').get('x'), isNotFound, 'pods "x" not found'],
    [
      'a second create of one name',
      async (c) => {
        await c.pods('ns').create(pod('a').obj());
        return c.pods('ns').create(pod('a').obj());
      },
      isAlreadyExists,
      'pods "a" already exists',
    ],
    [
      'an update from a stale resourceVersion',
      async (c) => {
        const created = await c.pods('ns').create(pod('a').obj());
        await c
          .pods('ns')
          .update({ ...created, metadata: { ...created.metadata, labels: { v: '1' } } });
        return c.pods('ns').update(created);
      },
      isConflict,
      'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again',
    ],
    [
      'an update of a missing object',
      (c) => c.pods('ns').update(pod('x').obj()),
      isNotFound,
      'pods "x" not found',
    ],
    [
      'a delete of a missing object',
      (c) => c.nodes().delete('n'),
      isNotFound,
      'nodes "n" not found',
    ],
    [
      'a create whose namespace contradicts the request',
      (c) => c.pods('other').create(pod('a', 'ns').obj()),
      isBadRequest,
      'the namespace of the provided object does not match the namespace sent on the request',
    ],
    [
      'a delete whose uid precondition fails',
      async (c) => {
        await c.configMaps('ns').create(makeConfigMap().name('c').obj());
        return c.configMaps('ns').delete('c', { preconditions: { uid: 'other' } });
      },
      isConflict,
      'Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: other, UID in object meta: 00000000-0000-4000-8000-000000000001',
    ],
    [
      'a binding of a pod already bound',
      async (c) => {
        await c.pods('ns').create(pod('a').node('n1').obj());
        return c.pods('ns').createSubresource('a', 'binding', { target: { name: 'n2' } });
      },
      isConflict,
      'Operation cannot be fulfilled on pods "a": pod a is already assigned to node "n1"',
    ],
  ])('refuses %s like the server', async (_, call, is, message) => {
    const err = await failure(call(createFakeClient()));
    expect(is(err)).toBe(true);
    expect((err as Error).message).toBe(message);
  });

  it('keeps status out of updates and spec out of status updates, counting spec generations', async () => {
    const client = createFakeClient();
    const deployments = client.deployments('ns');
    const created = await deployments.create(makeDeployment().namespace('ns').replicas(1).obj());
    const updated = await deployments.update({
      ...created,
      spec: { ...created.spec, replicas: 3 },
      status: { replicas: 9 },
    });
    expect(updated.spec.replicas).toBe(3);
    expect(updated.status).toBeUndefined();
    expect(updated.metadata.generation).toBe(2);
    const withStatus = await deployments.updateStatus({
      ...updated,
      spec: { ...updated.spec, replicas: 7 },
      status: { replicas: 3, observedGeneration: 2 },
    });
    expect(withStatus.spec.replicas).toBe(3);
    expect(withStatus.status).toEqual({ replicas: 3, observedGeneration: 2 });
    expect(withStatus.metadata.generation).toBe(2);
  });

  it('does not bump the resourceVersion for an update that changes nothing', async () => {
    const client = createFakeClient();
    const created = await client
      .configMaps('ns')
      .create(makeConfigMap().name('c').data({ a: '1' }).obj());
    const same = await client.configMaps('ns').update(created);
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('lists by label and field selectors, in namespace/name order, at the current version', async () => {
    const client = createFakeClient({
      objects: [
        pod('b').labels({ app: 'web' }).node('n1').obj(),
        pod('a').labels({ app: 'web' }).obj(),
        pod('c', 'other').labels({ app: 'db' }).node('n1').obj(),
      ],
    });
    const names = (list: { items: Pod[] }) =>
      list.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names(await client.pods('').list())).toEqual(['ns/a', 'ns/b', 'other/c']);
    expect(names(await client.pods('ns').list({ labelSelector: { app: 'web' } }))).toEqual([
      'ns/a',
      'ns/b',
    ]);
    expect(names(await client.pods('').list({ fieldSelector: 'spec.nodeName=n1' }))).toEqual([
      'ns/b',
      'other/c',
    ]);
    expect(names(await client.pods('').listAll({ labelSelector: 'app in (db)' }))).toEqual([
      'other/c',
    ]);
    expect((await client.pods('').list()).metadata.resourceVersion).toBe('3');
    expect(
      isBadRequest(await failure(client.pods('').list({ fieldSelector: 'spec.image=x' }))),
    ).toBe(true);
  });

  it('names objects from generateName predictably', async () => {
    const client = createFakeClient();
    const first = await client.pods('ns').create(makePod().generateName('web-').obj());
    const second = await client.pods('ns').create(makePod().generateName('web-').obj());
    expect([first.metadata.name, second.metadata.name]).toEqual(['web-bbbbb', 'web-bbbbc']);
  });

  it.each([
    {
      type: 'merge' as const,
      patch: { metadata: { labels: { tier: 'front' } }, spec: { replicas: 4 } },
      replicas: 4,
      containers: ['app', 'sidecar'],
    },
    {
      type: 'strategic' as const,
      patch: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } },
      replicas: 1,
      containers: ['app', 'sidecar'],
    },
    {
      type: 'json' as const,
      patch: [{ op: 'remove', path: '/spec/template/spec/containers/1' }],
      replicas: 1,
      containers: ['app'],
    },
  ])(
    'applies a $type patch as the apiserver does',
    async ({ type, patch, replicas, containers }) => {
      const client = createFakeClient();
      const template = makePod().container('app').container('sidecar').template({ app: 'web' });
      await client.deployments('ns').create(makeDeployment().replicas(1).template(template).obj());
      const patched = await client.deployments('ns').patch('web', patch, { type });
      expect(patched.spec.replicas).toBe(replicas);
      expect(patched.spec.template.spec.containers.map((c) => c.name)).toEqual(containers);
      expect(patched.metadata.resourceVersion).toBe('2');
    },
  );

  it('refuses a merge patch that carries a stale resourceVersion', async () => {
    const client = createFakeClient({ objects: [makeConfigMap().name('c').namespace('ns').obj()] });
    const err = await failure(
      client
        .configMaps('ns')
        .patch('c', { metadata: { resourceVersion: '0' }, data: { a: 'b' } }, { type: 'merge' }),
    );
    expect(isConflict(err)).toBe(true);
  });

  it('reads and writes the scale subresource, and binds pods to nodes', async () => {
    const client = createFakeClient({
      objects: [makeDeployment().namespace('ns').replicas(2).obj(), pod('p').obj()],
    });
    const scale = await client.deployments('ns').getSubresource<Scale>('web', 'scale');
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 2 },
      status: { selector: 'app=web' },
    });
    await client
      .deployments('ns')
      .updateSubresource('web', 'scale', { ...scale, spec: { replicas: 5 } });
    expect((await client.deployments('ns').get('web')).spec.replicas).toBe(5);

    const answer = await client
      .pods('ns')
      .createSubresource('p', 'binding', { target: { name: 'n1' } });
    expect(answer).toMatchObject({ status: 'Success', code: 201 });
    const bound = await client.pods('ns').get('p');
    expect(bound.spec.nodeName).toBe('n1');
    expect(bound.status?.conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('deletes at once, or holds the object for finalizers and a bound pod’s grace period', async () => {
    const client = createFakeClient({
      objects: [
        makeConfigMap().name('plain').namespace('ns').obj(),
        makeConfigMap().name('held').namespace('ns').finalizers('example.com/hold').obj(),
        pod('running').node('n1').obj(),
      ],
    });
    const gone = (await client.configMaps('ns').delete('plain')) as Status;
    expect(gone).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'plain' } });

    const held = (await client.configMaps('ns').delete('held')) as ConfigMap;
    expect(held.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    await client
      .configMaps('ns')
      .update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    expect(isNotFound(await failure(client.configMaps('ns').get('held')))).toBe(true);

    const terminating = (await client.pods('ns').delete('running')) as Pod;
    expect(terminating.metadata).toMatchObject({
      deletionTimestamp: '2026-01-01T00:00:30Z',
      deletionGracePeriodSeconds: 30,
    });
    await client.pods('ns').delete('running', { gracePeriodSeconds: 0 });
    expect(isNotFound(await failure(client.pods('ns').get('running')))).toBe(true);
  });
});

describe('FakeClient: watch', () => {
  it('starts with ADDED for what is there, then follows writes in order', async () => {
    const client = createFakeClient({ objects: [makeNode().name('n1').obj()] });
    const watch = await client.nodes().watch();
    await client.nodes().create(makeNode().name('n2').obj());
    await client.nodes().patch('n1', { spec: { unschedulable: true } }, { type: 'merge' });
    await client.nodes().delete('n2');
    expect(await take(watch, 4)).toEqual([
      ['ADDED', 'n1', '1'],
      ['ADDED', 'n2', '2'],
      ['MODIFIED', 'n1', '3'],
      ['DELETED', 'n2', '4'],
    ]);
  });

  it('replays what happened after a resourceVersion, and refuses one compacted away', async () => {
    const client = createFakeClient();
    const a = await client.configMaps('ns').create(makeConfigMap().name('a').obj());
    await client.configMaps('ns').create(makeConfigMap().name('b').obj());
    await client.namespaces().create(makeNamespace().name('elsewhere').obj());
    const watch = await client
      .configMaps('ns')
      .watch({ resourceVersion: a.metadata.resourceVersion });
    await client.configMaps('ns').delete('a');
    expect(await take(watch, 2)).toEqual([
      ['ADDED', 'b', '2'],
      ['DELETED', 'a', '4'],
    ]);
    client.tracker.compact();
    expect(isGone(await failure(client.configMaps('ns').watch({ resourceVersion: '2' })))).toBe(
      true,
    );
  });

  it('sends DELETED and ADDED when an object leaves or enters the selection', async () => {
    const client = createFakeClient({ objects: [pod('a').labels({ app: 'web' }).obj()] });
    const watch = await client.pods('ns').watch({ labelSelector: 'app=web', resourceVersion: '1' });
    await client.pods('ns').patch('a', { metadata: { labels: { app: 'db' } } }, { type: 'merge' });
    await client.pods('ns').patch('a', { metadata: { labels: { app: 'web' } } }, { type: 'merge' });
    expect(await take(watch, 2)).toEqual([
      ['DELETED', 'a', '2'],
      ['ADDED', 'a', '3'],
    ]);
  });

  it('feeds an informer that lists and watches through it, unchanged', async () => {
    const client = createFakeClient({ objects: [pod('a').obj()] });
    const factory = new SharedInformerFactory(client, { log: () => undefined });
    const informer = factory.core.v1.pods();
    const stop = new AbortController();
    factory.start(stop.signal);
    try {
      await factory.waitForCacheSync(stop.signal);
      await client.pods('ns').create(pod('b').obj());
      for (let i = 0; i < 100 && informer.lister().list().length < 2; i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(
        informer
          .lister()
          .list()
          .map((p) => p.metadata.name)
          .sort(),
      ).toEqual(['a', 'b']);
    } finally {
      stop.abort();
      await factory.shutdown();
    }
  });
});

describe('FakeClient: actions and reactors', () => {
  it('records every call with its verb, resource, namespace, name, subresource and body', async () => {
    const client = createFakeClient({ objects: [pod('a').obj()] });
    await client.pods('ns').get('a');
    await client.pods('ns').list({ labelSelector: { app: 'web' } });
    await client.pods('ns').createSubresource('a', 'binding', { target: { name: 'n1' } });
    await client.pods('ns').patch('a', { metadata: { labels: { x: 'y' } } }, { type: 'merge' });
    await client.pods('ns').delete('a');
    expect(client.actions()).toEqual([
      expect.objectContaining({ verb: 'get', resource: 'pods', namespace: 'ns', name: 'a' }),
      expect.objectContaining({ verb: 'list', resource: 'pods', labelSelector: 'app=web' }),
      expect.objectContaining({
        verb: 'create',
        name: 'a',
        subresource: 'binding',
        object: { target: { name: 'n1' } },
      }),
      expect.objectContaining({
        verb: 'patch',
        patchType: 'merge',
        patch: { metadata: { labels: { x: 'y' } } },
      }),
      expect.objectContaining({ verb: 'delete', name: 'a' }),
    ]);
    client.clearActions();
    expect(client.actions()).toEqual([]);
  });

  it('lets a prepended reactor fail a verb, and passes on what it does not handle', async () => {
    const client = createFakeClient();
    const reactorSaw: string[] = [];
    client.prependReactor('create', 'pods', (action) => {
      reactorSaw.push(action.name ?? '');
      if (action.name === 'doomed') return { error: new Error('injected failure') };
      return undefined;
    });
    await expect(client.pods('ns').create(pod('doomed').obj())).rejects.toThrow('injected failure');
    await client.pods('ns').create(pod('fine').obj());
    await client.configMaps('ns').create(makeConfigMap().name('c').obj());
    expect(reactorSaw).toEqual(['doomed', 'fine']);
    expect((await client.pods('ns').list()).items.map((p) => p.metadata.name)).toEqual(['fine']);
  });

  it('lets a reactor answer for a subresource', async () => {
    const client = createFakeClient({ objects: [pod('a').obj()] });
    client.prependReactor('update', 'pods/status', () => ({ object: { answered: true } }));
    const answer = await client.pods('ns').updateStatus(pod('a').obj());
    expect(answer).toEqual({ answered: true });
    expect((await client.pods('ns').get('a')).status).toBeUndefined();
  });

  it('serves custom resources through the dynamic client', async () => {
    const client = createFakeClient();
    const gvr = { group: 'example.com', version: 'v1', resource: 'widgets' };
    const widgets = client.resource<Widget>(gvr, 'ns');
    await widgets.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 1 },
    });
    expect((await widgets.get('w')).spec.size).toBe(1);
    expect((await widgets.list()).kind).toBe('WidgetList');
  });
});

describe('FakeClient: a watch a reactor hands out', () => {
  it('reaches the caller as it is, so a test can drive the events itself', async () => {
    const client = createFakeClient();
    const scripted = new FakeWatch<Pod>(() => undefined);
    client.prependReactor('watch', 'pods', () => ({ object: scripted }));
    const watch = await client.pods('ns').watch();
    scripted.push({ type: 'ADDED', object: pod('a').obj() });
    scripted.stop();
    expect(await take(watch, 2)).toEqual([['ADDED', 'a', undefined]]);
  });
});

describe('FakeClient: seeding', () => {
  it('refuses a namespaced seed without a namespace, which no lister could agree on', () => {
    expect(() => createFakeClient({ objects: [makePod().name('a').obj()] })).toThrow(
      'add: pods "a" needs metadata.namespace',
    );
  });

  it('keeps a seed’s numeric resourceVersion and counts on from it', async () => {
    const client = createFakeClient({
      objects: [makeConfigMap().name('c').namespace('ns').resourceVersion('41').obj()],
    });
    expect((await client.configMaps('ns').get('c')).metadata.resourceVersion).toBe('41');
    const next = await client.configMaps('ns').create(makeConfigMap().name('d').obj());
    expect(next.metadata.resourceVersion).toBe('42');
  });
});
