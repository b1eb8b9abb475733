// Lists (selectors, pages, listAll) and watches against a real apiserver.
import type { ConfigMap } from '@skiff/api';
import { makeConfigMap, makeNamespace } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient, type Client } from './client.js';
import { startApiServer } from './testing/api-server.js';
import type { ListOptions } from './options.js';
import { sendJson, startScriptedServer } from './testing/scripted-server.js';
import { ALL_NAMESPACES } from './typed-clients.js';
import type { WatchEvent } from './watch.js';

async function connect(serverOptions: { bookmarkIntervalMs?: number } = {}): Promise<Client> {
  const { url } = await startApiServer(serverOptions);
  const client = createClient({ server: url, qps: 200, burst: 200 });
  onTestFinished(() => client.close());
  return client;
}

const names = (items: readonly { metadata?: { name?: string } }[]): (string | undefined)[] =>
  items.map((i) => i.metadata?.name);

describe('list', () => {
  it('pages with limit and continue, and listAll follows every page', async () => {
    const client = await connect();
    const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (const name of all) await client.configMaps().create(makeConfigMap().name(name).obj());

    const page = await client.configMaps().list({ limit: 3 });
    expect(names(page.items)).toEqual(['a', 'b', 'c']);
    expect(page.metadata.continue).toBeTruthy();
    const next = await client.configMaps().list({ limit: 3, continue: page.metadata.continue });
    expect(names(next.items)).toEqual(['d', 'e', 'f']);

    const everything = await client.configMaps().listAll({ limit: 3 });
    expect(names(everything.items)).toEqual(all);
    expect(everything.metadata.continue).toBeUndefined();
    expect(everything.metadata.resourceVersion).toBeTruthy();
  });

  it('filters by label selector in each of its forms, and by field selector', async () => {
    const client = await connect();
    await client
      .configMaps()
      .create(makeConfigMap().name('web-1').labels({ app: 'web', tier: 'front' }).obj());
    await client
      .configMaps()
      .create(makeConfigMap().name('web-2').labels({ app: 'web', tier: 'back' }).obj());
    await client.configMaps().create(makeConfigMap().name('db').labels({ app: 'db' }).obj());
    const list = (options: ListOptions) =>
      client
        .configMaps()
        .list(options)
        .then((l) => names(l.items));
    expect(await list({ labelSelector: 'app=web,tier!=back' })).toEqual(['web-1']);
    expect(await list({ labelSelector: { app: 'web' } })).toEqual(['web-1', 'web-2']);
    expect(await list({ labelSelector: 'app in (db, cache)' })).toEqual(['db']);
    expect(await list({ fieldSelector: { 'metadata.name': 'web-2' } })).toEqual(['web-2']);
    expect(await list({ fieldSelector: 'metadata.name!=db', labelSelector: 'tier' })).toEqual([
      'web-1',
      'web-2',
    ]);
  });

  it('starts over with one full list when a continue token has expired', async () => {
    const list = (items: string[], extra: object = {}) => ({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '90', ...extra },
      items: items.map((name) => ({ metadata: { name } })),
    });
    const server = await startScriptedServer((req, res) => {
      const query = new URL(req.url, 'http://x').searchParams;
      if (query.get('continue') === 'page-2') {
        sendJson(res, 410, { kind: 'Status', code: 410, reason: 'Expired', message: 'expired' });
      } else if (query.has('limit')) {
        sendJson(res, 200, list(['a', 'b'], { continue: 'page-2' }));
      } else sendJson(res, 200, list(['a', 'b', 'c']));
    });
    const client = createClient({ server: server.url, qps: Infinity });
    onTestFinished(() => client.close());
    const all = await client.configMaps().listAll({ limit: 2, labelSelector: 'app=web' });
    expect(names(all.items)).toEqual(['a', 'b', 'c']);
    const queries = server.requests.map((r) => new URL(r.url, 'http://x').search);
    expect(queries).toEqual([
      '?labelSelector=app%3Dweb&limit=2',
      '?labelSelector=app%3Dweb&limit=2&continue=page-2',
      '?labelSelector=app%3Dweb',
    ]);
  });

  it('lists across all namespaces', async () => {
    const client = await connect();
    await client.namespaces().create(makeNamespace().name('other').obj());
    await client.configMaps('default').create(makeConfigMap().name('here').obj());
    await client.configMaps('other').create(makeConfigMap().name('there').obj());
    const list = await client.configMaps(ALL_NAMESPACES).list();
    const where = list.items.map((c) => `${c.metadata.namespace}/${c.metadata.name}`);
    expect(where).toEqual(expect.arrayContaining(['default/here', 'other/there']));
  });
});

describe('watch', () => {
  it('delivers create, update and delete in order from the list resourceVersion', async () => {
    const client = await connect();
    await client.configMaps().create(makeConfigMap().name('before').obj());
    const listed = await client.configMaps().list();
    const watch = await client.configMaps().watch({
      resourceVersion: listed.metadata.resourceVersion,
    });

    const created = await client
      .configMaps()
      .create(makeConfigMap().name('w').data({ v: '1' }).obj());
    await client.configMaps().update({ ...created, data: { v: '2' } });
    await client.configMaps().delete('w');

    const seen: WatchEvent<ConfigMap>[] = [];
    for await (const event of watch) {
      seen.push(event);
      if (seen.length === 3) break;
    }
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const objects = seen.map((e) => e.object as ConfigMap);
    expect(objects.map((o) => o.metadata.name)).toEqual(['w', 'w', 'w']);
    expect(objects.map((o) => o.data?.v)).toEqual(['1', '2', '2']);
    const versions = objects.map((o) => Number(o.metadata.resourceVersion));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('starts with ADDED for what exists when no resourceVersion is given', async () => {
    const client = await connect();
    await client.configMaps().create(makeConfigMap().name('old-1').obj());
    await client.configMaps().create(makeConfigMap().name('old-2').obj());
    const watch = await client.configMaps().watch();
    const seen: string[] = [];
    for await (const event of watch) {
      seen.push(`${event.type} ${(event.object as ConfigMap).metadata.name}`);
      if (seen.length === 2) watch.stop();
    }
    expect(seen.sort()).toEqual(['ADDED old-1', 'ADDED old-2']);
  });

  it('watches only what the selector matches', async () => {
    const client = await connect();
    const listed = await client.configMaps().list();
    const watch = await client.configMaps().watch({
      resourceVersion: listed.metadata.resourceVersion,
      labelSelector: { app: 'web' },
    });
    await client.configMaps().create(makeConfigMap().name('db').labels({ app: 'db' }).obj());
    await client.configMaps().create(makeConfigMap().name('web').labels({ app: 'web' }).obj());
    for await (const event of watch) {
      expect(event.type).toBe('ADDED');
      expect((event.object as ConfigMap).metadata.name).toBe('web');
      break;
    }
  });

  it('sends a bookmark past changes the selector hides, when asked to', async () => {
    const client = await connect({ bookmarkIntervalMs: 50 });
    const listed = await client.configMaps().list();
    const watch = await client.configMaps().watch({
      resourceVersion: listed.metadata.resourceVersion,
      labelSelector: { app: 'web' },
      allowWatchBookmarks: true,
    });
    const hidden = await client
      .configMaps()
      .create(makeConfigMap().name('db').labels({ app: 'db' }).obj());
    for await (const event of watch) {
      expect(event.type).toBe('BOOKMARK');
      expect(Number((event.object as ConfigMap).metadata.resourceVersion)).toBeGreaterThanOrEqual(
        Number(hidden.metadata.resourceVersion),
      );
      break;
    }
  });

  it('ends when the server ends the watch after timeoutSeconds', async () => {
    const client = await connect();
    const watch = await client.configMaps().watch({ timeoutSeconds: 1 });
    const seen: string[] = [];
    for await (const event of watch) seen.push(event.type);
    expect(seen).toEqual([]);
  });
});
