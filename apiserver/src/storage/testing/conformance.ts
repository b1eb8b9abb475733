// The storage contract as executable tests. Every backend runs this suite in its own test file:
//
//   describeStorageConformance('embedded', { newStore: () => openEmbeddedStorage(...) });
//
// Each newStore() must return a fresh, empty store. Stores may share a revision counter and a
// compaction with other stores (etcd stores under distinct prefixes share one etcd), so tests
// compare revisions relative to what they observe, never to absolute numbers; and they assume
// no other writer is active while a test runs. The semantics are etcd's: what a revision means,
// how createRevision/modRevision/version move, what prevKv and tombstones hold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompactedError, ConflictError, type StorageErrorCode } from '../errors.js';
import { MAX_VALUE_BYTES, type KeyValue, type Storage } from '../interface.js';
import {
  bytes,
  describeEvent,
  failureOf,
  text,
  WatchReader,
  withTimeout,
} from './storage-test-helpers.js';

export interface StorageConformanceHarness {
  /** A fresh, empty store. The suite closes it after each test. */
  newStore(): Promise<Storage>;
}

export function describeStorageConformance(
  backendName: string,
  harness: StorageConformanceHarness,
): void {
  describe(`storage conformance: ${backendName}`, () => {
    let store: Storage;
    const readers: WatchReader[] = [];
    const watch = (...args: Parameters<Storage['watch']>): WatchReader => {
      const reader = new WatchReader(store.watch(...args));
      readers.push(reader);
      return reader;
    };

    beforeEach(async () => {
      store = await harness.newStore();
    });

    afterEach(async () => {
      for (const reader of readers.splice(0)) reader.watch.cancel();
      await store.close();
    });

    /** Everything in the store, as `key=value@modRevision`, to show a failed call changed nothing. */
    const snapshot = async (): Promise<string[]> =>
      (await store.list('')).items.map((kv) => `${kv.key}=${text(kv.value)}@${kv.modRevision}`);

    describe('reads and writes', () => {
      it('creates a key at the next revision with createRevision = modRevision and version 1', async () => {
        const before = await store.currentRevision();
        const created = await store.create('pods/default/web', bytes('v1'));
        expect(created).toMatchObject({
          key: 'pods/default/web',
          createRevision: before + 1,
          modRevision: before + 1,
          version: 1,
        });
        expect(text(created.value)).toBe('v1');
        expect(await store.currentRevision()).toBe(before + 1);
        const read = await store.get('pods/default/web');
        expect(read && { ...read, value: text(read.value) }).toEqual({ ...created, value: 'v1' });
      });

      it('returns undefined from get for a key that was never written', async () => {
        expect(await store.get('pods/default/missing')).toBeUndefined();
      });

      it('bumps modRevision and version on update and keeps createRevision', async () => {
        const created = await store.create('k', bytes('v1'));
        const second = await store.update('k', bytes('v2'), created.modRevision);
        const third = await store.update('k', bytes('v3'), second.modRevision);
        expect(
          [second, third].map(({ createRevision, modRevision, version }) => ({
            createRevision,
            modRevision,
            version,
          })),
        ).toEqual([
          {
            createRevision: created.createRevision,
            modRevision: created.modRevision + 1,
            version: 2,
          },
          {
            createRevision: created.createRevision,
            modRevision: created.modRevision + 2,
            version: 3,
          },
        ]);
        const read = await store.get('k');
        expect(read && text(read.value)).toBe('v3');
        expect(read?.modRevision).toBe(third.modRevision);
      });

      it('returns the last stored value from delete and removes the key at the next revision', async () => {
        const created = await store.create('k', bytes('v1'));
        const updated = await store.update('k', bytes('v2'), created.modRevision);
        const deleted = await store.delete('k');
        expect({ ...deleted, value: text(deleted.value) }).toEqual({ ...updated, value: 'v2' });
        expect(await store.get('k')).toBeUndefined();
        expect(await store.currentRevision()).toBe(updated.modRevision + 1);
      });

      it('starts a key created again after deletion over at version 1 with a new createRevision', async () => {
        const first = await store.create('k', bytes('v1'));
        await store.delete('k');
        const again = await store.create('k', bytes('v2'));
        expect(again).toMatchObject({ createRevision: first.createRevision + 2, version: 1 });
      });

      it('advances the revision by exactly one per write, whatever the write', async () => {
        const writes: ((s: Storage) => Promise<unknown>)[] = [
          (s) => s.create('a', bytes('1')),
          (s) => s.create('b', bytes('1')),
          async (s) => s.update('a', bytes('2'), (await s.get('a'))?.modRevision ?? 0),
          (s) => s.delete('b'),
          async (s) => s.delete('a', { expectedModRevision: (await s.get('a'))?.modRevision ?? 0 }),
        ];
        for (const write of writes) {
          const before = await store.currentRevision();
          await write(store);
          expect(await store.currentRevision()).toBe(before + 1);
        }
      });

      it('reads a key at a past revision as it was then', async () => {
        const v1 = await store.create('k', bytes('v1'));
        const v2 = await store.update('k', bytes('v2'), v1.modRevision);
        await store.delete('k');
        const deletedAt = await store.currentRevision();
        const at = async (revision: number): Promise<string | undefined> => {
          const kv = await store.get('k', { revision });
          return kv && `${text(kv.value)} v${kv.version}`;
        };
        expect(await at(v1.modRevision)).toBe('v1 v1');
        expect(await at(v2.modRevision)).toBe('v2 v2');
        expect(await at(deletedAt)).toBeUndefined();
        expect(await at(v1.modRevision - 1)).toBeUndefined();
      });
    });

    describe('failed writes', () => {
      // Each case starts from key `k` written twice (`stale` is its first modRevision), and
      // must fail with `code` leaving every key and the revision exactly as they were.
      const oversized = new Uint8Array(MAX_VALUE_BYTES + 1);
      const cases: {
        name: string;
        code: StorageErrorCode;
        call: (s: Storage, k: { stale: number; current: number }) => Promise<unknown>;
      }[] = [
        {
          name: 'create of an existing key',
          code: 'KeyExists',
          call: (s) => s.create('k', bytes('x')),
        },
        {
          name: 'update with a stale modRevision',
          code: 'Conflict',
          call: (s, k) => s.update('k', bytes('x'), k.stale),
        },
        {
          name: 'update of a missing key',
          code: 'NotFound',
          call: (s, k) => s.update('nope', bytes('x'), k.current),
        },
        {
          name: 'update of a missing key expecting modRevision 0',
          code: 'NotFound',
          call: (s) => s.update('nope', bytes('x'), 0),
        },
        { name: 'delete of a missing key', code: 'NotFound', call: (s) => s.delete('nope') },
        {
          name: 'delete with a stale modRevision',
          code: 'Conflict',
          call: (s, k) => s.delete('k', { expectedModRevision: k.stale }),
        },
        {
          name: 'delete of a missing key with a precondition',
          code: 'NotFound',
          call: (s, k) => s.delete('nope', { expectedModRevision: k.current }),
        },
        {
          name: 'create of a value over MAX_VALUE_BYTES',
          code: 'TooLarge',
          call: (s) => s.create('big', oversized),
        },
        {
          name: 'update to a value over MAX_VALUE_BYTES',
          code: 'TooLarge',
          call: (s, k) => s.update('k', oversized, k.current),
        },
        {
          name: 'create with an empty key',
          code: 'InvalidKey',
          call: (s) => s.create('', bytes('x')),
        },
        {
          name: 'create with a NUL in the key',
          code: 'InvalidKey',
          call: (s) => s.create('a\0b', bytes('x')),
        },
        {
          name: 'update with an empty key',
          code: 'InvalidKey',
          call: (s, k) => s.update('', bytes('x'), k.current),
        },
        { name: 'delete with a NUL in the key', code: 'InvalidKey', call: (s) => s.delete('k\0') },
      ];

      it.each(cases)('$name fails with $code and changes nothing', async ({ code, call }) => {
        const first = await store.create('k', bytes('v1'));
        const second = await store.update('k', bytes('v2'), first.modRevision);
        const before = { revision: await store.currentRevision(), contents: await snapshot() };
        const k = { stale: first.modRevision, current: second.modRevision };
        const error = await failureOf(() => call(store, k));
        expect(error.code).toBe(code);
        expect({ revision: await store.currentRevision(), contents: await snapshot() }).toEqual(
          before,
        );
      });

      it.each([
        ['get with an empty key', (s: Storage) => s.get('')],
        ['get with a NUL in the key', (s: Storage) => s.get('a\0')],
      ])('%s fails with InvalidKey', async (_name, call) => {
        expect((await failureOf(() => call(store))).code).toBe('InvalidKey');
      });

      it('carries the current value in a Conflict so the caller can retry without a get', async () => {
        const first = await store.create('k', bytes('v1'));
        const second = await store.update('k', bytes('v2'), first.modRevision);
        const error = await failureOf(() => store.update('k', bytes('v3'), first.modRevision));
        expect(error).toBeInstanceOf(ConflictError);
        const conflict = error as ConflictError;
        expect(conflict.expectedModRevision).toBe(first.modRevision);
        expect({ ...conflict.current, value: text(conflict.current.value) }).toEqual({
          ...second,
          value: 'v2',
        });
        const retried = await store.update('k', bytes('v3'), conflict.current.modRevision);
        expect(retried.version).toBe(3);
      });

      it('deletes when the precondition matches the current modRevision', async () => {
        const created = await store.create('k', bytes('v1'));
        const deleted = await store.delete('k', { expectedModRevision: created.modRevision });
        expect(deleted.modRevision).toBe(created.modRevision);
        expect(await store.get('k')).toBeUndefined();
      });

      it('stores a value of one MiB intact', async () => {
        const value = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
        await store.create('big', value);
        const read = await store.get('big');
        expect(read?.value.byteLength).toBe(value.byteLength);
        expect(Buffer.compare(Buffer.from(read?.value ?? []), Buffer.from(value))).toBe(0);
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of many concurrent creates of a key win; the rest fail with KeyExists', async () => {
        const attempts = 16;
        const results = await Promise.allSettled(
          Array.from({ length: attempts }, (_, i) =>
            store.create('contended', bytes(`writer-${i}`)),
          ),
        );
        const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const losers = results.flatMap((r) =>
          r.status === 'rejected' ? [r.reason as unknown] : [],
        );
        expect(winners).toHaveLength(1);
        expect(losers.map((e) => (e as { code?: string }).code)).toEqual(
          Array(attempts - 1).fill('KeyExists'),
        );
        const stored = await store.get('contended');
        expect(stored && text(stored.value)).toBe(text(winners[0]?.value ?? bytes('')));
        expect(stored?.version).toBe(1);
      });

      it('loses no increment under concurrent read-modify-write loops', async () => {
        const created = await store.create('counter', bytes('0'));
        const workers = 8;
        const incrementsEach = 10;
        const increment = async (): Promise<void> => {
          let current: KeyValue = created;
          for (let done = 0; done < incrementsEach;) {
            const next = bytes(String(Number(text(current.value)) + 1));
            try {
              current = await store.update('counter', next, current.modRevision);
              done++;
            } catch (err) {
              if (!(err instanceof ConflictError)) throw err;
              current = err.current;
            }
          }
        };
        await Promise.all(Array.from({ length: workers }, increment));
        const final = await store.get('counter');
        expect(final && text(final.value)).toBe(String(workers * incrementsEach));
        expect(final?.version).toBe(workers * incrementsEach + 1);
      });
    });

    describe('list', () => {
      it('lists the keys under a prefix in byte order at the current revision', async () => {
        for (const key of ['pods/b/2', 'pods/a/2', 'services/a/x', 'pods/a/10', 'pods/a/1']) {
          await store.create(key, bytes(key));
        }
        const result = await store.list('pods/');
        expect(result.items.map((kv) => kv.key)).toEqual([
          'pods/a/1',
          'pods/a/10',
          'pods/a/2',
          'pods/b/2',
        ]);
        expect(result.items.map((kv) => text(kv.value))).toEqual(result.items.map((kv) => kv.key));
        expect(result.revision).toBe(await store.currentRevision());
        expect(result.more).toBe(false);
      });

      it.each([
        ['pods/a', ['pods/a', 'pods/a/x', 'pods/ab']],
        ['pods/a/', ['pods/a/x']],
        ['pods/', ['pods/a', 'pods/a/x', 'pods/ab', 'pods/b']],
        ['', ['pods/a', 'pods/a/x', 'pods/ab', 'pods/b', 'podsx']],
        ['pods/c', []],
      ])('matches prefix %j as a raw string prefix', async (prefix, expected) => {
        for (const key of ['pods/ab', 'podsx', 'pods/a', 'pods/b', 'pods/a/x'])
          await store.create(key, bytes('x'));
        expect((await store.list(prefix)).items.map((kv) => kv.key)).toEqual(expected);
      });

      it('lists the state as it was at a past revision', async () => {
        const a = await store.create('items/a', bytes('a1'));
        await store.create('items/b', bytes('b1'));
        const then = await store.currentRevision();
        await store.update('items/a', bytes('a2'), a.modRevision);
        await store.delete('items/b');
        await store.create('items/c', bytes('c1'));
        const past = await store.list('items/', { revision: then });
        expect(past.items.map((kv) => `${kv.key}=${text(kv.value)}`)).toEqual([
          'items/a=a1',
          'items/b=b1',
        ]);
        expect(past.revision).toBe(then);
        const now = await store.list('items/');
        expect(now.items.map((kv) => `${kv.key}=${text(kv.value)}`)).toEqual([
          'items/a=a2',
          'items/c=c1',
        ]);
      });

      it('pages with limit and startAfter over a pinned revision while writes continue', async () => {
        const keys = Array.from({ length: 10 }, (_, i) => `items/${String(i).padStart(2, '0')}`);
        for (const key of keys) await store.create(key, bytes('original'));
        const seen: string[] = [];
        const first = await store.list('items/', { limit: 4 });
        expect(first).toMatchObject({ more: true });
        const pinned = first.revision;
        let page = first;
        let pages = 1;
        seen.push(...page.items.map((kv) => `${kv.key}=${text(kv.value)}`));
        while (page.more) {
          // Writes between pages: none of them may show up in, or shift, the pinned listing.
          await store.create(`items/0${pages}5`, bytes('new'));
          await store.delete(keys[9 - pages] ?? 'items/00');
          const last = page.items.at(-1)?.key;
          page = await store.list('items/', { limit: 4, startAfter: last, revision: pinned });
          expect(page.revision).toBe(pinned);
          seen.push(...page.items.map((kv) => `${kv.key}=${text(kv.value)}`));
          pages++;
        }
        expect(pages).toBe(3);
        expect(seen).toEqual(keys.map((key) => `${key}=original`));
      });

      it('returns everything when limit is 0, and more = false when the page ends the range', async () => {
        for (const key of ['x/1', 'x/2', 'x/3']) await store.create(key, bytes('x'));
        expect(await store.list('x/', { limit: 0 })).toMatchObject({
          more: false,
          items: { length: 3 },
        });
        expect(await store.list('x/', { limit: 3 })).toMatchObject({
          more: false,
          items: { length: 3 },
        });
        expect(await store.list('x/', { limit: 2 })).toMatchObject({
          more: true,
          items: { length: 2 },
        });
      });

      it('never widens the range when startAfter sorts before the prefix', async () => {
        for (const key of ['a/1', 'pods/1', 'pods/2']) await store.create(key, bytes('x'));
        const result = await store.list('pods/', { startAfter: 'a/1' });
        expect(result.items.map((kv) => kv.key)).toEqual(['pods/1', 'pods/2']);
      });
    });

    describe('watch', () => {
      it('reports creates, updates and deletes, with prevKv for updates and deletes', async () => {
        const start = await store.currentRevision();
        const reader = watch('pods/', { afterRevision: start });
        const created = await store.create('pods/a', bytes('v1'));
        const updated = await store.update('pods/a', bytes('v2'), created.modRevision);
        await store.delete('pods/a');
        const [put, update, del] = await reader.take(3);
        expect(put).toMatchObject({
          type: 'put',
          kv: { key: 'pods/a', modRevision: created.modRevision, version: 1 },
        });
        expect(put?.prevKv).toBeUndefined();
        expect(update).toMatchObject({
          type: 'put',
          kv: { key: 'pods/a', modRevision: updated.modRevision, version: 2 },
          prevKv: { key: 'pods/a', modRevision: created.modRevision, version: 1 },
        });
        expect(update?.prevKv && text(update.prevKv.value)).toBe('v1');
        expect(del).toMatchObject({
          type: 'delete',
          kv: { key: 'pods/a', modRevision: updated.modRevision + 1 },
          prevKv: { key: 'pods/a', modRevision: updated.modRevision, version: 2 },
        });
        expect(del?.kv.value.byteLength).toBe(0);
        expect(del?.prevKv && text(del.prevKv.value)).toBe('v2');
      });

      it('reports only keys under its prefix', async () => {
        const reader = watch('pods/', { afterRevision: await store.currentRevision() });
        for (const key of ['pods/a', 'services/a', 'podsx', 'pods/b'])
          await store.create(key, bytes('x'));
        const events = await reader.take(2);
        expect(events.map((e) => e.kv.key)).toEqual(['pods/a', 'pods/b']);
      });

      it('delivers every revision once, in order, under 8 concurrent writers', async () => {
        const start = await store.currentRevision();
        const reader = watch('load/', { afterRevision: start });
        const writer = async (w: number): Promise<void> => {
          for (let i = 0; i < 4; i++) {
            const key = `load/w${w}/k${i}`;
            let kv = await store.create(key, bytes('0'));
            for (let n = 1; n <= 2; n++)
              kv = await store.update(key, bytes(String(n)), kv.modRevision);
            if (i % 2 === 0) await store.delete(key);
          }
        };
        await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
        const end = await store.currentRevision();
        const events = await reader.take(end - start);
        // No other writer runs during a test, so every revision in (start, end] is ours.
        expect(events.map((e) => e.kv.modRevision)).toEqual(
          Array.from({ length: end - start }, (_, i) => start + 1 + i),
        );
        // Per key, the events tell the same story as the writes: create, two updates, maybe a delete.
        const byKey = new Map<string, string[]>();
        for (const e of events)
          byKey.set(e.kv.key, [
            ...(byKey.get(e.kv.key) ?? []),
            e.type === 'delete' ? 'del' : `v${e.kv.version}`,
          ]);
        expect(byKey.get('load/w3/k0')).toEqual(['v1', 'v2', 'v3', 'del']);
        expect(byKey.get('load/w5/k1')).toEqual(['v1', 'v2', 'v3']);
        expect(byKey.size).toBe(32);
      });

      it('replays exactly the events after afterRevision, then continues live', async () => {
        const a1 = await store.create('r/a', bytes('1'));
        const a2 = await store.update('r/a', bytes('2'), a1.modRevision);
        const b1 = await store.create('r/b', bytes('1'));
        const reader = watch('r/', { afterRevision: a1.modRevision });
        expect((await reader.take(2)).map(describeEvent)).toEqual([
          `put r/a@${a2.modRevision}`,
          `put r/b@${b1.modRevision}`,
        ]);
        const b2 = await store.update('r/b', bytes('2'), b1.modRevision);
        expect((await reader.take(1)).map(describeEvent)).toEqual([`put r/b@${b2.modRevision}`]);
      });

      it('reports only writes made after a watch without afterRevision started', async () => {
        const old = await store.create('now/old', bytes('x'));
        const reader = watch('now/');
        // A watch "from now" may take a moment to be established, so keep writing until the
        // first event arrives: whatever it is, it must be newer than the write before watch().
        const first = reader.next('no event from a watch started without afterRevision');
        let probes = 0;
        let settled = false;
        const settle = (): void => {
          settled = true;
        };
        first.then(settle, settle);
        while (!settled && probes < 100) {
          await store.create(`now/probe-${probes++}`, bytes('x'));
          await withTimeout(first, 100, 'poll').catch(() => undefined);
        }
        const result = await first;
        expect(result.done).toBe(false);
        expect(result.value?.kv.key).toMatch(/^now\/probe-/);
        expect(result.value?.kv.modRevision).toBeGreaterThan(old.modRevision);
      });

      it('ends iteration when cancelled', async () => {
        const reader = watch('c/', { afterRevision: await store.currentRevision() });
        const pending = reader.ended();
        reader.watch.cancel();
        expect(await pending).toBe(true);
      });

      it('fails with Compacted when afterRevision is older than the compaction allows', async () => {
        const v1 = await store.create('w/a', bytes('1'));
        const v2 = await store.update('w/a', bytes('2'), v1.modRevision);
        const v3 = await store.update('w/a', bytes('3'), v2.modRevision);
        await store.compact(v3.modRevision);
        const error = await watch('w/', { afterRevision: v1.modRevision }).failure();
        expect(error).toBeInstanceOf(CompactedError);
        expect((error as CompactedError).compactedRevision).toBe(v3.modRevision);
      });

      it('still replays from the compaction revision itself (afterRevision = compacted - 1)', async () => {
        const v1 = await store.create('w/a', bytes('1'));
        const v2 = await store.update('w/a', bytes('2'), v1.modRevision);
        await store.compact(v2.modRevision);
        const reader = watch('w/', { afterRevision: v2.modRevision - 1 });
        expect((await reader.take(1)).map(describeEvent)).toEqual([`put w/a@${v2.modRevision}`]);
      });
    });

    describe('revisions and compaction', () => {
      it('fails reads below the compaction with Compacted and keeps the compaction revision readable', async () => {
        const v1 = await store.create('c/a', bytes('1'));
        const v2 = await store.update('c/a', bytes('2'), v1.modRevision);
        await store.update('c/a', bytes('3'), v2.modRevision);
        await store.compact(v2.modRevision);
        for (const read of [
          () => store.get('c/a', { revision: v1.modRevision }),
          () => store.list('c/', { revision: v1.modRevision }),
        ]) {
          const error = await failureOf(read);
          expect(error).toBeInstanceOf(CompactedError);
          expect(error).toMatchObject({
            requestedRevision: v1.modRevision,
            compactedRevision: v2.modRevision,
          });
        }
        const kept = await store.get('c/a', { revision: v2.modRevision });
        expect(kept && text(kept.value)).toBe('2');
        expect((await store.list('c/', { revision: v2.modRevision })).items).toHaveLength(1);
      });

      it('reports the last compaction from compactedRevision', async () => {
        await store.create('c/a', bytes('1'));
        const revision = await store.currentRevision();
        await store.compact(revision);
        expect(await store.compactedRevision()).toBe(revision);
      });

      it('treats compacting at or below the last compaction as a no-op', async () => {
        const v1 = await store.create('c/a', bytes('1'));
        const v2 = await store.update('c/a', bytes('2'), v1.modRevision);
        await store.compact(v2.modRevision);
        await store.compact(v2.modRevision);
        await store.compact(v1.modRevision);
        expect(await store.compactedRevision()).toBe(v2.modRevision);
      });

      it.each([
        ['get', (s: Storage, r: number) => s.get('k', { revision: r })],
        ['list', (s: Storage, r: number) => s.list('', { revision: r })],
        ['compact', (s: Storage, r: number) => s.compact(r)],
      ])('fails %s at a future revision with FutureRevision', async (_name, call) => {
        await store.create('k', bytes('1'));
        const future = (await store.currentRevision()) + 10;
        expect((await failureOf(() => call(store, future))).code).toBe('FutureRevision');
      });
    });

    describe('close', () => {
      it.each([
        ['get', (s: Storage) => s.get('k')],
        ['list', (s: Storage) => s.list('')],
        ['create', (s: Storage) => s.create('n', bytes('x'))],
        ['update', (s: Storage) => s.update('k', bytes('x'), 1)],
        ['delete', (s: Storage) => s.delete('k')],
        ['compact', (s: Storage) => s.compact(1)],
        ['currentRevision', (s: Storage) => s.currentRevision()],
        ['compactedRevision', (s: Storage) => s.compactedRevision()],
        ['watch', (s: Storage) => new WatchReader(s.watch('')).take(1)],
      ])('fails %s with Unavailable after close', async (_name, call) => {
        await store.create('k', bytes('x'));
        await store.close();
        expect((await failureOf(() => call(store))).code).toBe('Unavailable');
      });

      it('ends an open watch with Unavailable when the store closes', async () => {
        const reader = watch('', { afterRevision: await store.currentRevision() });
        const failure = reader.failure();
        await store.close();
        expect((await failure).code).toBe('Unavailable');
      });
    });
  });
}
