// The shared factory against a real apiserver: one informer, and one watch, per resource no
// matter how many consumers; scoped factories; typed shortcuts; waiting for every cache.
import type { ConfigMap, Pod } from '@skiff/api';
import { makeConfigMap, makeNamespace } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Client } from '../rest/index.js';
import { SharedInformerFactory, type SharedInformerFactoryOptions } from './factory.js';
import { startTestCluster, until } from './testing/test-cluster.js';

function makeFactory(
  client: Client,
  options: SharedInformerFactoryOptions = {},
): SharedInformerFactory {
  const factory = new SharedInformerFactory(client, { log: () => undefined, ...options });
  onTestFinished(() => factory.shutdown());
  return factory;
}

const names = (objs: readonly Readonly<ConfigMap>[]): (string | undefined)[] =>
  objs.map((o) => o.metadata?.name).sort();

describe('SharedInformerFactory', () => {
  it('gives two consumers of a resource the same informer, served by one watch', async () => {
    const { client, informerClient, requests } = await startTestCluster();
    await client.configMaps().create(makeConfigMap().name('one').obj());
    const factory = makeFactory(informerClient);
    const forScheduler = factory.core.v1.configMaps();
    const forController = factory.informerFor('configMaps');
    expect(forController).toBe(forScheduler);
    expect(factory.forResource({ group: '', version: 'v1', resource: 'configmaps' })).toBe(
      forScheduler,
    );

    const seen = { scheduler: 0, controller: 0 };
    forScheduler.addEventHandler({
      onAdd: () => {
        seen.scheduler++;
      },
    });
    forController.addEventHandler({
      onAdd: () => {
        seen.controller++;
      },
    });
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    factory.start(stop.signal);
    factory.start(stop.signal);
    expect(await factory.waitForCacheSync(stop.signal)).toEqual(
      new Map([['configmaps.v1.', true]]),
    );
    await client.configMaps().create(makeConfigMap().name('two').obj());
    await until(() => seen.scheduler === seen.controller && seen.scheduler >= 2, 'both adds');

    const configMapRequests = requests.filter((r) => r.includes('/configmaps'));
    expect(configMapRequests.filter((r) => r.includes('watch=true'))).toHaveLength(1);
    expect(configMapRequests.filter((r) => !r.includes('watch=true'))).toHaveLength(1);
  });

  it('scopes every informer to its namespace and selectors', async () => {
    const { client, informerClient, requests } = await startTestCluster();
    await client.namespaces().create(makeNamespace().name('shop').obj());
    await client
      .configMaps('shop')
      .create(makeConfigMap().name('web').labels({ app: 'web' }).obj());
    await client.configMaps('shop').create(makeConfigMap().name('db').labels({ app: 'db' }).obj());
    await client
      .configMaps('default')
      .create(makeConfigMap().name('web').labels({ app: 'web' }).obj());
    const factory = makeFactory(informerClient, {
      namespace: 'shop',
      labelSelector: 'app',
      tweakListOptions: (scope) => ({ ...scope, fieldSelector: 'metadata.name!=db' }),
    });
    const configMaps = factory.core.v1.configMaps();
    // A cluster-scoped kind ignores the factory's namespace.
    const namespaces = factory.core.v1.namespaces();
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    factory.start(stop.signal);
    await factory.waitForCacheSync(stop.signal);

    expect(
      configMaps
        .lister()
        .list()
        .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`),
    ).toEqual(['shop/web']);
    await client
      .configMaps('shop')
      .create(makeConfigMap().name('cache').labels({ app: 'cache' }).obj());
    await client.configMaps('shop').create(makeConfigMap().name('unlabelled').obj());
    await client
      .configMaps('default')
      .create(makeConfigMap().name('cache').labels({ app: 'cache' }).obj());
    await until(() => configMaps.indexer.size === 2, 'the second matching configmap');
    expect(names(configMaps.lister().namespace('shop').list())).toEqual(['cache', 'web']);
    expect(namespaces.hasSynced()).toBe(true);
    expect(requests.some((r) => r.startsWith('GET /api/v1/namespaces?'))).toBe(true);
    const watch = requests.find((r) => r.includes('/configmaps?') && r.includes('watch=true'));
    expect(watch).toContain('/api/v1/namespaces/shop/configmaps?');
    expect(watch).toContain('labelSelector=app');
  });

  it('adds indexes asked for by a later consumer to the shared informer', async () => {
    const { client, informerClient } = await startTestCluster();
    const factory = makeFactory(informerClient);
    const byNode = (pod: Readonly<Pod>): string[] =>
      pod.spec?.nodeName ? [pod.spec.nodeName] : [];
    const pods = factory.informerFor('pods', { indexers: { byNode } });
    expect(factory.core.v1.pods({ indexers: { byNode } })).toBe(pods);
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    factory.start(stop.signal);
    await factory.waitForCacheSync(stop.signal);

    await client.pods().create({
      metadata: { name: 'p' },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
    });
    await until(() => pods.indexer.byIndex('byNode', 'node-1').length === 1, 'the indexed pod');
    expect(pods.indexer.listIndexFuncValues('byNode')).toEqual(['node-1']);
  });

  it('starts informers asked for after start() on the next start(), and shuts them all down', async () => {
    const { informerClient } = await startTestCluster();
    const factory = makeFactory(informerClient);
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    const configMaps = factory.core.v1.configMaps();
    factory.start(stop.signal);
    const secrets = factory.core.v1.secrets();
    expect(secrets.isStarted()).toBe(false);
    factory.start(stop.signal);
    const synced = await factory.waitForCacheSync(stop.signal);
    expect([...synced.values()]).toEqual([true, true]);
    expect(configMaps.hasSynced() && secrets.hasSynced()).toBe(true);
    await factory.shutdown();
  });
});
