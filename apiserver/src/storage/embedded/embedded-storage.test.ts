// MVCC semantics of the embedded store through its public Storage surface.
import { describe, expect, it } from 'vitest';
import { MAX_VALUE_BYTES } from '../interface.js';
import { ConflictError, isStorageError } from '../errors.js';
import { dec, enc, openStore, tempDir } from './testing/fixtures.js';

async function freshStore() {
  return openStore(await tempDir());
}

describe('embedded storage: MVCC', () => {
  it('bumps the global revision by one per write and tracks version and createRevision', async () => {
    const s = await freshStore();
    const a = await s.create('a', enc('1'));
    const b = await s.create('b', enc('1'));
    const a2 = await s.update('a', enc('2'), a.modRevision);
    expect([a, b, a2].map((kv) => [kv.createRevision, kv.modRevision, kv.version])).toEqual([
      [1, 1, 1],
      [2, 2, 1],
      [1, 3, 2],
    ]);
    expect(await s.currentRevision()).toBe(3);
  });

  it('restarts version at 1 with a new createRevision when a deleted key is created again', async () => {
    const s = await freshStore();
    const first = await s.create('k', enc('1'));
    await s.update('k', enc('2'), first.modRevision);
    const deleted = await s.delete('k');
    expect(dec(deleted.value)).toBe('2');
    const again = await s.create('k', enc('3'));
    expect([again.createRevision, again.modRevision, again.version]).toEqual([4, 4, 1]);
  });

  it('reads the state as of a past revision', async () => {
    const s = await freshStore();
    const v1 = await s.create('k', enc('1'));
    await s.create('other', enc('x'));
    const v2 = await s.update('k', enc('2'), v1.modRevision);
    await s.delete('k');
    expect(dec((await s.get('k', { revision: 1 }))?.value)).toBe('1');
    expect(dec((await s.get('k', { revision: 2 }))?.value)).toBe('1');
    expect((await s.get('k', { revision: v2.modRevision }))?.version).toBe(2);
    expect(await s.get('k', { revision: 4 })).toBeUndefined();
    expect(await s.get('k')).toBeUndefined();
    const past = await s.list('', { revision: 2 });
    expect(past.items.map((kv) => kv.key)).toEqual(['k', 'other']);
    expect(past.revision).toBe(2);
  });

  it('refuses reads above the current revision and below the compacted one', async () => {
    const s = await freshStore();
    for (const k of ['a', 'b', 'c']) await s.create(k, enc(k));
    await expect(s.get('a', { revision: 4 })).rejects.toMatchObject({ code: 'FutureRevision' });
    await s.compact(2);
    await expect(s.get('a', { revision: 1 })).rejects.toMatchObject({ code: 'Compacted' });
    await expect(s.list('', { revision: 1 })).rejects.toMatchObject({ code: 'Compacted' });
    expect(dec((await s.get('b', { revision: 2 }))?.value)).toBe('b');
  });

  it('lists a prefix in byte order and pages with limit, startAfter and more', async () => {
    const s = await freshStore();
    const keys = [
      'pods/b/2',
      'pods/a/1',
      'pods/a/10',
      'pods/a/2',
      'podsx/a',
      'nodes/n1',
      'pods/b/1',
    ];
    for (const k of keys) await s.create(k, enc(k));
    await s.delete('pods/a/2');
    const pages: string[][] = [];
    let startAfter: string | undefined;
    let revision: number | undefined;
    for (;;) {
      const page = await s.list('pods/', { limit: 2, startAfter, revision });
      pages.push(page.items.map((kv) => kv.key));
      revision = page.revision;
      if (!page.more) break;
      startAfter = page.items[page.items.length - 1]?.key;
    }
    expect(pages).toEqual([
      ['pods/a/1', 'pods/a/10'],
      ['pods/b/1', 'pods/b/2'],
    ]);
    expect((await s.list('pods/', { limit: 4 })).more).toBe(false);
    expect((await s.list('pods/a/', { startAfter: 'pods/a/1' })).items.map((kv) => kv.key)).toEqual(
      ['pods/a/10'],
    );
  });

  it('lets exactly one of two concurrent creates of a key win', async () => {
    const s = await freshStore();
    const results = await Promise.allSettled([s.create('k', enc('a')), s.create('k', enc('b'))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((r) => r.status === 'rejected');
    expect(isStorageError(loser?.status === 'rejected' && loser.reason, 'KeyExists')).toBe(true);
  });

  it('returns a conflict carrying the current value when modRevision is stale', async () => {
    const s = await freshStore();
    const v1 = await s.create('k', enc('1'));
    await s.update('k', enc('2'), v1.modRevision);
    const err: unknown = await s.update('k', enc('3'), v1.modRevision).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err instanceof ConflictError && dec(err.current.value)).toBe('2');
    await expect(s.delete('k', { expectedModRevision: 1 })).rejects.toMatchObject({
      code: 'Conflict',
    });
    await expect(s.update('missing', enc('x'), 1)).rejects.toMatchObject({ code: 'NotFound' });
    await expect(s.delete('missing')).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('does not serve a write to readers before its fsync, but checks later writes against it', async () => {
    const s = await freshStore();
    const pending = s.create('k', enc('1'));
    expect(await s.get('k')).toBeUndefined();
    expect(await s.currentRevision()).toBe(0);
    // The duplicate is decided against the pending create, and its error waits for durability.
    await expect(s.create('k', enc('2'))).rejects.toMatchObject({ code: 'KeyExists' });
    expect(dec((await s.get('k'))?.value)).toBe('1');
    await pending;
  });

  it('keeps its own copy of a value the caller later mutates', async () => {
    const s = await freshStore();
    const value = enc('abc');
    await s.create('k', value);
    value[0] = 120;
    expect(dec((await s.get('k'))?.value)).toBe('abc');
  });

  it.each([
    ['an empty key', '', enc('x'), 'InvalidKey'],
    ['a key with NUL', 'a\0b', enc('x'), 'InvalidKey'],
    ['a value over the limit', 'k', new Uint8Array(MAX_VALUE_BYTES + 1), 'TooLarge'],
  ])('rejects %s and changes nothing', async (_name, key, value, code) => {
    const s = await freshStore();
    await expect(s.create(key, value)).rejects.toMatchObject({ code });
    expect(await s.currentRevision()).toBe(0);
  });

  it('accepts a value of exactly the limit', async () => {
    const s = await freshStore();
    const kv = await s.create('k', new Uint8Array(MAX_VALUE_BYTES));
    expect(kv.value.length).toBe(MAX_VALUE_BYTES);
  });

  it('answers every call after close with Unavailable', async () => {
    const s = await freshStore();
    await s.create('k', enc('1'));
    await s.close();
    const calls = [
      () => s.get('k'),
      () => s.list(''),
      () => s.create('x', enc('1')),
      () => s.update('k', enc('2'), 1),
      () => s.delete('k'),
      () => s.compact(1),
      () => s.currentRevision(),
      () => s.compactedRevision(),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'Unavailable' });
    await expect(s.watch('')[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'Unavailable',
    });
  });
});
