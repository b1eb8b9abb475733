// The watch cache's behaviour against a real storage backend. Each backend's test file runs it:
//
//   describeWatchCache('embedded', { newStore: () => openTempEmbeddedStore({ prefix }) });
//
// Stores may share a revision counter and compaction with other stores (etcd fixtures share one
// etcd), so tests read revisions from what they write, and assume no other writer while they run.
// The cache runs on a FakeClock: bookmarks and timeouts move only when a test advances it.
import { parseSelector } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage/interface.js';
import {
  CacheGoneError,
  CacheStoppedError,
  TooLargeResourceVersionError,
  WatcherTooSlowError,
} from '../errors.js';
import { InterruptibleStorage } from '../../storage/testing/interruptible-storage.js';
import { CacheWatchReader, describeEvent } from './watch-reader.js';
import {
  decodeWidget,
  widget,
  widgetKey,
  WIDGET_PREFIX,
  WidgetWriter,
  type Widget,
} from './widgets.js';
import { WatchCache, type CacheWatchOptions, type WatchCacheOptions } from '../watch-cache.js';

export interface WatchCacheHarness {
  /** A fresh, empty store and how to dispose of it after the test. */
  newStore(): Promise<{ storage: Storage; dispose: () => Promise<void> }>;
}

type CacheOverrides = Partial<Omit<WatchCacheOptions<Widget>, 'storage' | 'prefix' | 'decode'>>;

export function describeWatchCache(backendName: string, harness: WatchCacheHarness): void {
  describe(`watch cache on ${backendName} storage`, () => {
    let storage: InterruptibleStorage;
    let writer: WidgetWriter;
    let clock: FakeClock;
    let warnings: string[];
    let warningWaiters: { readonly text: string; readonly resolve: () => void }[];
    const cleanups: (() => Promise<void>)[] = [];

    beforeEach(async () => {
      const store = await harness.newStore();
      cleanups.push(store.dispose);
      storage = new InterruptibleStorage(store.storage);
      writer = new WidgetWriter(storage);
      clock = new FakeClock();
      warnings = [];
      warningWaiters = [];
    });

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    function warn(message: string): void {
      warnings.push(message);
      const waiting = warningWaiters;
      warningWaiters = waiting.filter((w) => !message.includes(w.text));
      for (const w of waiting) if (message.includes(w.text)) w.resolve();
    }

    /** Resolves once the cache has warned with `text` (no polling, so no wall-clock deadline). */
    function warned(text: string): Promise<void> {
      if (warnings.some((w) => w.includes(text))) return Promise.resolve();
      return new Promise((resolve) => warningWaiters.push({ text, resolve }));
    }

    /** A started, ready cache over the test's store; stopped after the test. */
    async function startCache(overrides: CacheOverrides = {}): Promise<WatchCache<Widget>> {
      const cache = new WatchCache<Widget>({
        storage,
        prefix: WIDGET_PREFIX,
        decode: decodeWidget,
        clock,
        warn,
        ...overrides,
      });
      const stop = new AbortController();
      const running = cache.start(stop.signal);
      cleanups.push(async () => {
        stop.abort();
        await running;
      });
      await cache.waitReady();
      return cache;
    }

    function watch(
      cache: WatchCache<Widget>,
      options: CacheWatchOptions<Widget> = {},
    ): CacheWatchReader {
      const reader = new CacheWatchReader(cache.watch(options));
      cleanups.push(async () => reader.watch.stop());
      return reader;
    }

    const names = (items: readonly Widget[]): string[] =>
      items.map((w) => `${w.metadata.namespace}/${w.metadata.name}@${w.metadata.resourceVersion}`);

    describe('list', () => {
      it('lists what storage held at start and what was written since, in key order', async () => {
        const a = await writer.create(widget('a').in('blue'));
        const b = await writer.create(widget('b').in('green'));
        const cache = await startCache();
        expect(cache.ready).toBe(true);
        expect(names((await cache.list()).items)).toEqual([`blue/a@${a}`, `green/b@${b}`]);

        const c = await writer.create(widget('c').in('blue').labels({ app: 'web' }));
        const a2 = await writer.update(widget('a').in('blue').size(2));
        const listed = await cache.list({ resourceVersion: String(a2) });
        expect(names(listed.items)).toEqual([`blue/a@${a2}`, `blue/c@${c}`, `green/b@${b}`]);
        expect(listed.resourceVersion).toBe(String(a2));
        expect(cache.revision).toBe(a2);
      });

      it('filters by namespace and predicate, and serves a single object', async () => {
        const cache = await startCache();
        await writer.create(widget('a').in('blue').labels({ app: 'web' }));
        await writer.create(widget('b').in('blue'));
        const last = await writer.create(widget('c').in('green').labels({ app: 'web' }));
        await cache.waitUntilFresh(last);
        const web = parseSelector('app=web');
        const matches = (w: Widget): boolean => web.matches(w.metadata.labels);

        const inBlue = await cache.list({ namespace: 'blue', resourceVersion: '0' });
        expect(inBlue.items.map((w) => w.metadata.name)).toEqual(['a', 'b']);
        const webEverywhere = await cache.list({ predicate: matches });
        expect(webEverywhere.items.map((w) => w.metadata.name)).toEqual(['a', 'c']);
        expect((await cache.get('c', { namespace: 'green' })).object?.spec.size).toBe(1);
        expect((await cache.get('c', { namespace: 'blue' })).object).toBeUndefined();
      });

      it('hands out frozen objects, shared between readers', async () => {
        const cache = await startCache();
        const rev = await writer.create(widget('a'));
        const first = await cache.list({ resourceVersion: String(rev) });
        const second = await cache.list();
        const item = first.items[0];
        expect(item).toBeDefined();
        expect(second.items[0]).toBe(item);
        expect(Object.isFrozen(item)).toBe(true);
        expect(Object.isFrozen(item?.metadata)).toBe(true);
        expect(() => {
          (item as { spec: { size: number } }).spec.size = 9;
        }).toThrow(TypeError);
      });

      it('hands a storage read its object only at exactly the cached revision', async () => {
        const cache = await startCache();
        const created = await writer.create(widget('a'));
        const updated = await writer.update(widget('a').size(2));
        const gone = await writer.create(widget('gone'));
        const deleted = await writer.delete(widget('gone'));
        await cache.waitUntilFresh(deleted);
        const key = widgetKey(widget('a').build());
        const current = (await cache.get('a', { namespace: 'default' })).object;
        expect(current).toBeDefined();
        expect(cache.objectAt(key, updated)).toBe(current);
        expect(cache.objectAt(key, created)).toBeUndefined();
        expect(cache.objectAt(widgetKey(widget('gone').build()), gone)).toBeUndefined();
        expect(cache.objectAt(`other/${key}`, updated)).toBeUndefined();
      });
    });

    describe('watch', () => {
      it('starts without a resourceVersion with the current state as ADDED, then goes live', async () => {
        const a = await writer.create(widget('a').in('blue'));
        await writer.create(widget('b').in('green'));
        const cache = await startCache();
        const reader = watch(cache, { namespace: 'blue' });
        const a2 = await writer.update(widget('a').in('blue').size(2));
        await writer.create(widget('z').in('green'));
        const c = await writer.create(widget('c').in('blue'));
        expect(await reader.take(3)).toEqual([
          `ADDED blue/a@${a}`,
          `MODIFIED blue/a@${a2}`,
          `ADDED blue/c@${c}`,
        ]);
      });

      it('resumes after 1,000 writes with every event, in order, without duplicates', async () => {
        // A resourceVersion of 0 would mean "from the current state": start from a real one.
        await writer.create(widget('seed').in('elsewhere'));
        const cache = await startCache();
        const start = cache.revision;
        const live = watch(cache, { afterRevision: start });
        const liveEvents = live.takeEvents(1000);

        // Ten writers on disjoint keys: creates, updates and deletes interleave in storage.
        await Promise.all(
          Array.from({ length: 10 }, async (_, worker) => {
            const mine = (i: number) => widget(`w${worker}-${i}`);
            for (let i = 0; i < 40; i++) await writer.create(mine(i));
            for (let i = 0; i < 50; i++) await writer.update(mine(i % 40).size(i + 2));
            for (let i = 0; i < 10; i++) await writer.delete(mine(i));
          }),
        );
        const end = await storage.currentRevision();
        expect(end - start).toBe(1000);
        await cache.waitUntilFresh(end);

        const resumed = await watch(cache, { afterRevision: start }).takeEvents(1000);
        const revisions = resumed.map((e) => Number(e.object.metadata.resourceVersion));
        expect(revisions).toEqual(Array.from({ length: 1000 }, (_, i) => start + i + 1));
        const counts = { ADDED: 0, MODIFIED: 0, DELETED: 0, BOOKMARK: 0 };
        for (const e of resumed) counts[e.type]++;
        expect(counts).toEqual({ ADDED: 400, MODIFIED: 500, DELETED: 100, BOOKMARK: 0 });
        // Live and resumed watchers see the very same (shared) records.
        const liveSeen = await liveEvents;
        expect(liveSeen.map(describeEvent)).toEqual(resumed.map(describeEvent));
        expect(liveSeen[999]).toBe(resumed[999]);

        // Resuming from the middle gives exactly the rest.
        const fromMiddle = await watch(cache, { afterRevision: start + 600 }).takeEvents(400);
        expect(fromMiddle.map(describeEvent)).toEqual(resumed.slice(600).map(describeEvent));
      });

      it('delivers a deletion with the last state and the deletion’s resourceVersion', async () => {
        const cache = await startCache();
        const reader = watch(cache, { afterRevision: cache.revision });
        await writer.create(widget('a').size(7));
        const deleted = await writer.delete(widget('a'));
        const [, deletion] = await reader.takeEvents(2);
        expect(deletion?.type).toBe('DELETED');
        expect(deletion?.object).toMatchObject({
          metadata: { name: 'a', resourceVersion: String(deleted) },
          spec: { size: 7 },
        });
      });

      it('answers Gone for a resourceVersion older than the ring', async () => {
        const cache = await startCache({ capacity: 10 });
        const first = await writer.create(widget('w0'));
        let last = first;
        for (let i = 1; i < 20; i++) last = await writer.create(widget(`w${i}`));
        await cache.waitUntilFresh(last);
        const oldest = cache.stats().oldestRevision;
        expect(oldest).toBe(last - 10);

        const error = await watch(cache, { afterRevision: first }).failure();
        expect(error).toBeInstanceOf(CacheGoneError);
        expect(error).toMatchObject({ code: 410, reason: 'Expired', resourceVersion: first });
        expect(error.message).toBe(`too old resource version: ${first} (${oldest})`);
        // The oldest revision it still has is fine: exactly the ring's ten events follow.
        expect(await watch(cache, { afterRevision: oldest }).take(10)).toHaveLength(10);
      });

      it('turns selector transitions into ADDED and DELETED, as Kubernetes does', async () => {
        const cache = await startCache();
        const web = parseSelector('app=web');
        const from = cache.revision;
        const selected = watch(cache, {
          afterRevision: from,
          predicate: (w) => web.matches(w.metadata.labels),
        });
        const everything = watch(cache, { afterRevision: from });

        const a1 = await writer.create(widget('a').labels({ app: 'web' }));
        const b1 = await writer.create(widget('b').labels({ app: 'db' }));
        const b2 = await writer.update(widget('b').labels({ app: 'web' }));
        const a2 = await writer.update(widget('a').labels({ app: 'db' }));
        const a3 = await writer.update(widget('a').labels({ app: 'db' }).size(3));
        const b3 = await writer.update(widget('b').labels({ app: 'web' }).size(4));
        const b4 = await writer.delete(widget('b'));

        expect(await selected.take(5)).toEqual([
          `ADDED default/a@${a1}`,
          `ADDED default/b@${b2}`, // modified into the selection
          `DELETED default/a@${a2}`, // modified out of it: DELETED, with its new state
          `MODIFIED default/b@${b3}`,
          `DELETED default/b@${b4}`,
        ]);
        expect(await everything.take(7)).toEqual([
          `ADDED default/a@${a1}`,
          `ADDED default/b@${b1}`,
          `MODIFIED default/b@${b2}`,
          `MODIFIED default/a@${a2}`,
          `MODIFIED default/a@${a3}`,
          `MODIFIED default/b@${b3}`,
          `DELETED default/b@${b4}`,
        ]);
      });

      it('cuts off a watcher that never reads while a fast one gets every event', async () => {
        const cache = await startCache({ maxPendingPerWatcher: 5 });
        const from = cache.revision;
        const slow = watch(cache, { afterRevision: from });
        const fast = watch(cache, { afterRevision: from });
        const fastEvents = fast.take(20);
        for (let i = 0; i < 20; i++) await writer.create(widget(`w${i}`));

        expect(await fastEvents).toHaveLength(20);
        const error = await slow.failure();
        expect(error).toBeInstanceOf(WatcherTooSlowError);
        expect(error).toMatchObject({ code: 410, pending: 6 });
        expect(cache.stats()).toMatchObject({ watchers: 1, watchersTooSlow: 1 });
      });

      it('sends bookmarks on the clock, only when asked for and only with news', async () => {
        const cache = await startCache({
          bookmarkIntervalMs: 1000,
          bookmarkOf: (resourceVersion) => ({
            kind: 'Widget',
            apiVersion: 'test/v1',
            metadata: { resourceVersion },
          }),
        });
        const web = parseSelector('app=web');
        const predicate = (w: Widget): boolean => web.matches(w.metadata.labels);
        const withBookmarks = watch(cache, { allowBookmarks: true, predicate });
        const without = watch(cache, { allowBookmarks: false, predicate });

        const quiet = await writer.create(widget('unlabelled'));
        await cache.waitUntilFresh(quiet);
        await clock.advance(1000);
        const [bookmark] = await withBookmarks.takeEvents(1);
        expect(bookmark).toEqual({
          type: 'BOOKMARK',
          object: {
            kind: 'Widget',
            apiVersion: 'test/v1',
            metadata: { resourceVersion: `${quiet}` },
          },
        });

        await clock.advance(1000); // nothing new: no second bookmark
        const web1 = await writer.create(widget('web').labels({ app: 'web' }));
        expect(await withBookmarks.take(1)).toEqual([`ADDED default/web@${web1}`]);
        expect(await without.take(1)).toEqual([`ADDED default/web@${web1}`]);
      });

      it('ends its watchers normally when the cache stops', async () => {
        const stop = new AbortController();
        const cache = new WatchCache<Widget>({
          storage,
          prefix: WIDGET_PREFIX,
          decode: decodeWidget,
          clock,
        });
        const running = cache.start(stop.signal);
        await cache.waitReady();
        const reader = watch(cache);
        stop.abort();
        await running;
        expect(await reader.ended()).toBe(true);
        await expect(cache.list()).rejects.toBeInstanceOf(CacheStoppedError);
        expect(cache.ready).toBe(false);
      });
    });

    describe('storage trouble', () => {
      it('resumes a broken storage watch without disturbing its watchers', async () => {
        const cache = await startCache();
        const reader = watch(cache, { afterRevision: cache.revision });
        const a = await writer.create(widget('a'));
        storage.interrupt();
        const b = await writer.create(widget('b'));
        storage.resume();
        expect(await reader.take(2)).toEqual([`ADDED default/a@${a}`, `ADDED default/b@${b}`]);
        expect(cache.stats().lists).toBe(1);
        expect(warnings.some((w) => w.includes('resuming the watch'))).toBe(true);
      });

      it('relists after a compaction, ending existing watchers with Gone', async () => {
        const cache = await startCache();
        await writer.create(widget('a'));
        const b = await writer.create(widget('b'));
        await cache.waitUntilFresh(b);
        const before = cache.revision;
        const reader = watch(cache, { afterRevision: before });

        // The cache's watch breaks and cannot come back until storage has compacted past it.
        storage.interrupt();
        const c = await writer.create(widget('c'));
        await writer.delete(widget('a'));
        const compactedAt = await storage.currentRevision();
        await storage.compact(compactedAt);
        storage.resume();

        const error = await reader.failure();
        expect(error).toBeInstanceOf(CacheGoneError);
        expect(error).toMatchObject({ code: 410, resourceVersion: before });
        await cache.waitUntilFresh(compactedAt);
        expect(cache.ready).toBe(true);
        expect(names((await cache.list()).items)).toEqual([`default/b@${b}`, `default/c@${c}`]);
        expect(cache.stats()).toMatchObject({ lists: 2, watchersExpired: 1, watchers: 0 });

        // A client that re-watches from where it was must relist; from the new list it works.
        expect(await watch(cache, { afterRevision: before }).failure()).toBeInstanceOf(
          CacheGoneError,
        );
        const fresh = watch(cache, { afterRevision: cache.revision });
        const d = await writer.create(widget('d'));
        expect(await fresh.take(1)).toEqual([`ADDED default/d@${d}`]);
      });
      it('relists loudly past a value it cannot decode, and recovers once it is fixed', async () => {
        await writer.create(widget('a'));
        const cache = await startCache();
        const reader = watch(cache, { afterRevision: cache.revision });
        const key = 'widgets/default/broken';
        await storage.create(key, new TextEncoder().encode('{not json'));

        // The event cannot be applied and the relist meets the same value: not ready, retrying.
        await warned('attempt 2');
        expect(cache.ready).toBe(false);
        expect(await reader.failure()).toBeInstanceOf(CacheGoneError);

        const current = await storage.get(key);
        const fixed = widget('broken').build();
        const revision = (
          await storage.update(
            key,
            new TextEncoder().encode(JSON.stringify(fixed)),
            current?.modRevision ?? 0,
          )
        ).modRevision;
        await clock.advance(200); // the reflector's second retry delay
        await cache.waitReady();
        expect(names((await cache.list()).items)).toEqual([
          expect.stringMatching(/^default\/a@/),
          `default/broken@${revision}`,
        ]);
      });
    });

    describe('freshness', () => {
      it('waits for a resourceVersion and times out cleanly when it does not come', async () => {
        const cache = await startCache({ waitTimeoutMs: 3000 });
        const at = cache.revision;
        const coming = cache.waitUntilFresh(at + 1);
        const never = cache.waitUntilFresh(at + 1000, { timeoutMs: 500 });
        const neverOutcome = never.then(
          () => 'resolved',
          (err: unknown) => err,
        );
        await writer.create(widget('a'));
        await coming;

        await clock.advance(499);
        expect(await Promise.race([neverOutcome, Promise.resolve('pending')])).toBe('pending');
        await clock.advance(1);
        const error = await neverOutcome;
        expect(error).toBeInstanceOf(TooLargeResourceVersionError);
        expect(error).toMatchObject({
          code: 504,
          resourceVersion: at + 1000,
          currentRevision: at + 1,
        });
        expect(String(error)).toContain(`Too large resource version: ${at + 1000}`);

        // A list (or watch) asking for it fails the same way after the cache's wait timeout.
        const list = cache.list({ resourceVersion: String(at + 1000) }).then(
          () => 'resolved',
          (err: unknown) => err,
        );
        const watchFailure = watch(cache, { afterRevision: at + 1000 }).failure();
        await clock.advance(3000);
        expect(await list).toBeInstanceOf(TooLargeResourceVersionError);
        expect(await watchFailure).toBeInstanceOf(TooLargeResourceVersionError);
      });
    });
  });
}
