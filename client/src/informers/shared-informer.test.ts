// The informer against a real apiserver: handlers, the read-only cache, listers, late handlers,
// resync on a FakeClock, and waiting for sync.
import type { ConfigMap } from '@skiff/api';
import { FakeClock, makeConfigMap, makeNamespace } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ALL_NAMESPACES, type Client } from '../rest/index.js';
import { clone } from './read-only.js';
import { SharedIndexInformer, type SharedIndexInformerOptions } from './shared-informer.js';
import { scopedListerWatcher } from './list-watch.js';
import { stripManagedFields } from './strip-managed-fields.js';
import { recordEvents } from './testing/recorder.js';
import { cacheVersions, serverVersions } from './testing/state.js';
import { startTestCluster, until } from './testing/test-cluster.js';
import { waitForCacheSync } from './wait-for-cache-sync.js';

/** A running configmap informer over every namespace, stopped when the test ends. */
async function runConfigMapInformer(
  client: Client,
  options: Partial<SharedIndexInformerOptions<ConfigMap>> = {},
): Promise<SharedIndexInformer<ConfigMap>> {
  const informer = new SharedIndexInformer(
    scopedListerWatcher(client.configMaps(ALL_NAMESPACES), {}),
    { name: 'configmaps', log: () => undefined, ...options },
  );
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await running;
  });
  return informer;
}

const inDefault = (obj: Readonly<ConfigMap>): boolean => obj.metadata?.namespace === 'default';

describe('SharedIndexInformer', () => {
  it('tells handlers add, update and delete in the order they happened', async () => {
    const { client, informerClient } = await startTestCluster();
    await client.configMaps().create(makeConfigMap().name('before').obj());
    const informer = await runConfigMapInformer(informerClient);
    const recorder = recordEvents<ConfigMap>(inDefault);
    const registration = informer.addEventHandler(recorder);
    await until(() => registration.hasSynced(), 'the handler to sync');

    const cms = client.configMaps();
    const a = await cms.create(makeConfigMap().name('a').obj());
    await cms.update({ ...a, data: { key: 'changed' } });
    await cms.create(makeConfigMap().name('b').obj());
    await cms.delete('a');
    await cms.delete('before');
    await until(() => recorder.lines.length === 6, 'six notifications');

    expect(recorder.lines).toEqual([
      'add default/before',
      'add default/a',
      'update default/a',
      'add default/b',
      'delete default/a',
      'delete default/before',
    ]);
    expect(recorder.deleted.get('default/a')?.data).toEqual({ key: 'changed' });
    expect(cacheVersions(informer)).toEqual(await serverVersions(client));
  });

  it('caches and hands out what its transform made of each object (stripManagedFields)', async () => {
    const { client, informerClient } = await startTestCluster();
    const withData = (name: string): ConfigMap =>
      makeConfigMap().name(name).data({ key: 'value' }).obj();
    const listed = await client.configMaps().create(withData('listed'));
    expect(listed.metadata?.managedFields).toHaveLength(1);
    const informer = await runConfigMapInformer(informerClient, { transform: stripManagedFields });
    const seen: ConfigMap[] = [];
    const registration = informer.addEventHandler({
      onAdd: (obj) => void seen.push(obj),
      onUpdate: (_old, obj) => void seen.push(obj),
      onDelete: (obj) => void seen.push(obj),
    });
    await until(() => registration.hasSynced(), 'the handler to sync');

    const cms = client.configMaps();
    const watched = await cms.create(withData('watched'));
    await cms.update({ ...watched, data: { key: 'changed' } });
    await cms.delete('watched');
    await until(
      () => seen.filter((obj) => obj.metadata?.name === 'watched').length === 3,
      'the add, update and delete of the watched one',
    );
    // From the list, and from each kind of watch event: none carries managedFields.
    expect(seen.filter(inDefault).map((obj) => obj.metadata?.managedFields)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(informer.indexer.get('default/listed')?.metadata?.managedFields).toBeUndefined();
    expect((await cms.get('listed')).metadata?.managedFields).toHaveLength(1);
  });

  it('gives a handler registered late an add for every cached object, then live events', async () => {
    const { client, informerClient } = await startTestCluster();
    await client.configMaps().create(makeConfigMap().name('x').obj());
    await client.configMaps().create(makeConfigMap().name('y').obj());
    const informer = await runConfigMapInformer(informerClient);
    await until(() => informer.hasSynced(), 'the informer to sync');

    const adds: [string | undefined, boolean][] = [];
    const registration = informer.addEventHandler({
      onAdd: (obj, initial) => {
        if (inDefault(obj)) adds.push([obj.metadata?.name, initial]);
      },
    });
    // Delivered after addEventHandler returns, never from inside it.
    expect(adds).toEqual([]);
    expect(registration.hasSynced()).toBe(false);
    await until(() => registration.hasSynced(), 'the late handler to sync');
    expect(adds.sort()).toEqual([
      ['x', true],
      ['y', true],
    ]);

    await client.configMaps().create(makeConfigMap().name('z').obj());
    await until(() => adds.length === 3, 'the live add');
    expect(adds[2]).toEqual(['z', false]);
  });

  it('hands out frozen objects, so no consumer can change the cache for the others', async () => {
    const { client, informerClient } = await startTestCluster();
    await client.configMaps().create(makeConfigMap().name('shared').data({ mode: 'a' }).obj());
    const informer = await runConfigMapInformer(informerClient);
    await until(() => informer.hasSynced(), 'sync');

    const cached = informer.lister().get('default', 'shared');
    if (!cached?.data) throw new Error('the configmap is not cached');
    expect(() => {
      (cached.data as Record<string, string>).mode = 'b';
    }).toThrow(TypeError);
    expect(() => {
      (cached.metadata as { name: string }).name = 'other';
    }).toThrow(TypeError);

    const copy = clone(cached);
    copy.data = { mode: 'b' };
    const written = await client.configMaps().update(copy);
    await until(
      () =>
        informer.lister().get('default', 'shared')?.metadata?.resourceVersion ===
        written.metadata?.resourceVersion,
      'the update to reach the cache',
    );
    expect(cached.data).toEqual({ mode: 'a' });
    expect(informer.lister().get('default', 'shared')?.data).toEqual({ mode: 'b' });
  });

  it('lists by namespace and label selector through the lister', async () => {
    const { client, informerClient } = await startTestCluster();
    await client.namespaces().create(makeNamespace().name('shop').obj());
    await client
      .configMaps('shop')
      .create(makeConfigMap().name('web').labels({ app: 'web' }).obj());
    await client.configMaps('shop').create(makeConfigMap().name('db').labels({ app: 'db' }).obj());
    await client
      .configMaps('default')
      .create(makeConfigMap().name('web').labels({ app: 'web' }).obj());
    const informer = await runConfigMapInformer(informerClient);
    await until(() => informer.hasSynced(), 'sync');
    const lister = informer.lister();
    const keys = (objs: readonly Readonly<ConfigMap>[]): string[] =>
      objs.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();

    expect(keys(lister.namespace('shop').list())).toEqual(['shop/db', 'shop/web']);
    expect(keys(lister.list('app=web'))).toEqual(['default/web', 'shop/web']);
    expect(keys(lister.list({ app: 'db' }))).toEqual(['shop/db']);
    expect(keys(lister.namespace('shop').list('app in (web)'))).toEqual(['shop/web']);
    expect(lister.namespace('shop').get('db')?.metadata?.labels).toEqual({ app: 'db' });
    expect(lister.get('shop', 'missing')).toBeUndefined();
  });

  it('resyncs every cached object as an update each period of the FakeClock', async () => {
    const { client, informerClient } = await startTestCluster();
    await client.configMaps().create(makeConfigMap().name('one').obj());
    await client.configMaps().create(makeConfigMap().name('two').obj());
    const clock = new FakeClock();
    const informer = await runConfigMapInformer(informerClient, { clock, resyncPeriodMs: 30_000 });
    const recorder = recordEvents<ConfigMap>(inDefault);
    const registration = informer.addEventHandler(recorder);
    await until(() => registration.hasSynced(), 'sync');
    recorder.lines.length = 0;

    // Only the resync timer can bring these notifications, so no wall-clock wait is needed.
    await clock.advance(29_999);
    expect(recorder.lines).toEqual([]);
    await clock.advance(1);
    await until(() => recorder.lines.length === 2, 'the first resync');
    expect(recorder.lines.sort()).toEqual(['resync default/one', 'resync default/two']);
    await clock.advance(30_000);
    await until(() => recorder.lines.length === 4, 'the second resync');
  });

  it('waitForCacheSync resolves once synced, and false when stopped before', async () => {
    const { informerClient, refuseConnections } = await startTestCluster();
    refuseConnections(true);
    const informer = await runConfigMapInformer(informerClient, {
      backoff: { initialMs: 10, maxMs: 20 },
    });
    const giveUp = new AbortController();
    const waiting = waitForCacheSync(giveUp.signal, [informer], { pollMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    giveUp.abort();
    expect(await waiting).toBe(false);

    refuseConnections(false);
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    expect(await waitForCacheSync(stop.signal, [informer], { pollMs: 5 })).toBe(true);
    expect(await informer.waitForSync(stop.signal)).toBe(true);
  });
});
