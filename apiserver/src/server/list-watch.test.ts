// Lists (selectors, pagination, resourceVersion semantics) and watches (streaming, resume,
// selector transitions, expiry, bookmarks, timeouts) over HTTP, on both backends.
import { describe, expect, it } from 'vitest';
import { list } from '../registry/list-watch.js';
import { parseListParams } from '../registry/list-options.js';
import { apiServerBackends, startApi } from './testing/api-fixture.js';
import { kindNamed, objectOf, pod } from './testing/objects.js';

const backends = apiServerBackends();
const cms = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, labels: Record<string, string> = {}): object => ({
  ...objectOf(kindNamed('ConfigMap'), name),
  metadata: { name, labels },
});

type Item = { metadata: { name: string; resourceVersion: string } };
const namesOf = (body: Record<string, unknown>): string[] =>
  (body.items as Item[]).map((i) => i.metadata.name);

describe.each(backends)('lists and watches on $name storage', (backend) => {
  it('pages through a list at one revision with limit and an opaque continue token', async () => {
    const { client } = await startApi(backend);
    for (let i = 0; i < 7; i++) await client.post(cms, cm(`c${i}`));
    const seen: string[] = [];
    let token = '';
    let revision: unknown;
    let pages = 0;
    do {
      const page = await client.get(
        `${cms}?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      if (pages === 0) {
        revision = page.body.metadata?.resourceVersion;
        // Writes between pages do not show up: every page reads the first page's revision.
        await client.post(cms, cm('late'));
      } else expect(page.body.metadata?.resourceVersion).toBe(revision);
      seen.push(...namesOf(page.body));
      const next = page.body.metadata?.continue;
      token = typeof next === 'string' ? next : '';
      pages++;
    } while (token);
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(pages).toBe(3);
  });

  it('filters by label and field selectors and rejects unsupported fields with 400', async () => {
    const { client } = await startApi(backend);
    await client.post(cms, cm('a', { app: 'web', tier: 'front' }));
    await client.post(cms, cm('b', { app: 'web', tier: 'back' }));
    await client.post(cms, cm('c', { app: 'db' }));
    const byLabel = await client.get(
      `${cms}?labelSelector=${encodeURIComponent('app=web,tier!=back')}`,
    );
    expect(namesOf(byLabel.body)).toEqual(['a']);
    const setBased = await client.get(
      `${cms}?labelSelector=${encodeURIComponent('app in (web,db),!tier')}`,
    );
    expect(namesOf(setBased.body)).toEqual(['c']);
    const byField = await client.get(`${cms}?fieldSelector=metadata.name%3Db`);
    expect(namesOf(byField.body)).toEqual(['b']);
    const bad = await client.get(`${cms}?fieldSelector=spec.nope%3Dx`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.nope');
    const badLabel = await client.get(`${cms}?labelSelector=${encodeURIComponent('a in (')}`);
    expect(badLabel.status).toBe(400);
  });

  it('selects pods by spec.nodeName as a kubelet does', async () => {
    const { client } = await startApi(backend);
    await client.post('/api/v1/namespaces/default/pods', {
      ...pod('on-a'),
      spec: { ...(pod('x').spec as object), nodeName: 'a' },
    });
    await client.post('/api/v1/namespaces/default/pods', pod('unbound'));
    const res = await client.get('/api/v1/pods?fieldSelector=spec.nodeName%3Da');
    expect(namesOf(res.body)).toEqual(['on-a']);
  });

  it('serves resourceVersion=0 from the cache and refuses a future resourceVersion with 504', async () => {
    const { client } = await startApi(backend);
    const created = await client.post(cms, cm('a'));
    await expect
      .poll(async () => namesOf((await client.get(`${cms}?resourceVersion=0`)).body))
      .toEqual(['a']);
    const rv = Number(created.body.metadata?.resourceVersion);
    const future = await client.get(`${cms}?resourceVersion=${rv + 1000}`);
    expect(future.status).toBe(504);
    expect(future.body).toMatchObject({
      reason: 'Timeout',
      message: expect.stringContaining('Too large resource version'),
    });
  });

  it("reads a storage list's current objects from the cache, and older revisions from storage", async () => {
    const { client, server } = await startApi(backend);
    const first = await client.post(cms, cm('a', { v: '1' }));
    const updated = await client.put(`${cms}/a`, {
      ...cm('a', { v: '2' }),
      metadata: {
        name: 'a',
        labels: { v: '2' },
        resourceVersion: first.body.metadata?.resourceVersion,
      },
    });
    expect(updated.status, updated.text).toBe(200);
    const rv = String(updated.body.metadata?.resourceVersion);
    const registry = server.registries.forKind({ group: '', resource: 'configmaps' });
    const cache = registry.cache;
    if (!cache) throw new Error('configmaps have a watch cache');
    await cache.waitUntilFresh(Number(rv));
    const kind = kindNamed('ConfigMap');
    const params = (query: string) => parseListParams(kind, new URLSearchParams(query));
    const cached = await cache.get('a', { namespace: 'default' });

    // A paged list is read from storage, but takes the cache's (frozen, encoded-once) object.
    const paged = await list(registry, 'default', params('limit=10'));
    expect(paged.items[0]).toBe(cached.object);
    // The state at an older revision is not the cache's: it is decoded from storage.
    const old = await list(
      registry,
      'default',
      params(
        `resourceVersion=${String(first.body.metadata?.resourceVersion)}&resourceVersionMatch=Exact`,
      ),
    );
    expect(old.items[0]?.metadata.labels).toEqual({ v: '1' });
    expect(Object.isFrozen(old.items[0])).toBe(false);
    // Over HTTP both encodings carry the same current object.
    const overHttp = await client.get(`${cms}?limit=10`);
    expect(overHttp.body.items).toEqual([JSON.parse(JSON.stringify(cached.object))]);
  });

  it('streams ADDED, MODIFIED and DELETED events as newline-delimited JSON', async () => {
    const { client } = await startApi(backend);
    const watch = client.watch(`${cms}?watch=true`);
    expect(await watch.status).toBe(200);
    await client.post(cms, cm('a'));
    await client.patch(`${cms}/a`, { data: { k: 'v2' } }, 'application/merge-patch+json');
    await client.delete(`${cms}/a`);
    const events = await watch.next(3);
    expect(events.map((e) => `${e.type} ${String(e.object.metadata?.name)}`)).toEqual([
      'ADDED a',
      'MODIFIED a',
      'DELETED a',
    ]);
    await watch.stop();
  });

  it('starts a watch without resourceVersion with the current objects as ADDED', async () => {
    const { client } = await startApi(backend);
    await client.post(cms, cm('existing'));
    const watch = client.watch(`${cms}?watch=1`);
    const [first] = await watch.next(1);
    expect(first).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'existing' } } });
    await watch.stop();
  });

  it('resumes a watch from a resourceVersion after 1,000 writes: every event, in order, no duplicates', async () => {
    const { client } = await startApi(backend);
    const start = await client.post(cms, cm('counter'));
    const from = String(start.body.metadata?.resourceVersion);
    const writes = 1000;
    for (let i = 0; i < writes; i++) {
      const r = await client.patch(
        `${cms}/counter`,
        { data: { n: String(i) } },
        'application/merge-patch+json',
      );
      expect(r.status).toBe(200);
    }
    const watch = client.watch(`${cms}?watch=1&resourceVersion=${from}`);
    const events = await watch.next(writes);
    const values = events.map((e) => (e.object as { data: { n: string } }).data.n);
    expect(values).toEqual(Array.from({ length: writes }, (_, i) => String(i)));
    const rvs = events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(new Set(rvs).size).toBe(writes);
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    await watch.stop();
    // A thousand sequential round trips to etcd: seconds when idle, longer than the default 30 s
    // on a machine loaded well past its cores. The bound is for a hang, not for speed.
  }, 180_000);

  it('answers 410 Expired for a watch from a compacted resourceVersion older than the cache', async () => {
    const { client, storage } = await startApi(backend);
    for (let i = 0; i < 5; i++) await client.post(cms, cm(`c${i}`));
    await storage.compact(await storage.currentRevision());
    const res = await client.get(`${cms}?watch=1&resourceVersion=1`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(res.body.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('reports objects leaving a label selector as DELETED and entering it as ADDED', async () => {
    const { client } = await startApi(backend);
    await client.post(cms, cm('a', { app: 'web' }));
    const watch = client.watch(`${cms}?watch=1&labelSelector=app%3Dweb`);
    await watch.next(1);
    await client.patch(
      `${cms}/a`,
      { metadata: { labels: { app: 'db' } } },
      'application/merge-patch+json',
    );
    await client.patch(
      `${cms}/a`,
      { metadata: { labels: { app: 'web' } } },
      'application/merge-patch+json',
    );
    const events = await watch.next(2);
    expect(events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
    await watch.stop();
  });

  it('sends bookmarks to watches that allow them, carrying progress they did not see', async () => {
    const { client } = await startApi(backend, { bookmarkIntervalMs: 50 });
    const created = await client.post(cms, cm('a', { app: 'x' }));
    const watch = client.watch(
      `${cms}?watch=1&allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=${String(created.body.metadata?.resourceVersion)}`,
    );
    await client.post(cms, cm('b', { app: 'x' }));
    // Not selected: the watcher never sees it, but a bookmark moves it past it.
    const other = await client.post(cms, cm('c', { app: 'y' }));
    const [added, bookmark] = await watch.next(2);
    expect(added?.type).toBe('ADDED');
    expect(bookmark).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', apiVersion: 'v1' },
    });
    expect(Number(bookmark?.object.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
      Number(other.body.metadata?.resourceVersion),
    );
    await watch.stop();
  });

  it('ends a watch after timeoutSeconds', async () => {
    const { client } = await startApi(backend);
    const watch = client.watch(`${cms}?watch=1&timeoutSeconds=1`);
    await watch.closed();
    expect(await watch.status).toBe(200);
  });

  it('watches one object by name with a field selector, as kubectl delete --wait does', async () => {
    const { client } = await startApi(backend);
    const a = await client.post(cms, cm('a'));
    await client.post(cms, cm('b'));
    const watch = client.watch(
      `${cms}?watch=1&fieldSelector=metadata.name%3Da&resourceVersion=${String(a.body.metadata?.resourceVersion)}`,
    );
    await client.delete(`${cms}/b`);
    await client.delete(`${cms}/a`);
    const [event] = await watch.next(1);
    expect(event).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'a' } } });
    await watch.stop();
  });
});
