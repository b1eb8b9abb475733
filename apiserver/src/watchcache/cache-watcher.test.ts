import { describe, expect, it } from 'vitest';
import { CacheEvent, type BookmarkWatchEvent, type CacheWatchEvent } from './cache-event.js';
import { CacheWatcher, MAX_BATCH } from './cache-watcher.js';
import { CacheGoneError, WatcherTooSlowError } from './errors.js';

interface Obj {
  readonly n: number;
}

const added = (revision: number): CacheEvent<Obj> =>
  new CacheEvent('ADDED', `ns/o${revision}`, 'ns', revision, { n: revision }, undefined);

const bookmark = (revision: number): BookmarkWatchEvent => ({
  type: 'BOOKMARK',
  object: { metadata: { resourceVersion: String(revision) } },
});

function makeWatcher(
  options: { maxPending?: number; allowBookmarks?: boolean; predicate?: (o: Obj) => boolean } = {},
) {
  let ended = 0;
  const watcher = new CacheWatcher<Obj>({
    filter: { predicate: options.predicate },
    allowBookmarks: options.allowBookmarks ?? false,
    maxPending: options.maxPending ?? 10,
    onEnd: () => ended++,
  });
  return {
    watcher,
    endCount: () => ended,
    iterator: watcher[Symbol.asyncIterator](),
    batches: watcher.batches()[Symbol.asyncIterator](),
  };
}

const show = (r: IteratorResult<CacheWatchEvent<Obj>>): string =>
  r.done
    ? 'done'
    : r.value.type === 'BOOKMARK'
      ? `BOOKMARK ${r.value.object.metadata.resourceVersion}`
      : `${r.value.type} ${r.value.object.n}`;

const showEvent = (e: CacheWatchEvent<Obj>): string =>
  e.type === 'BOOKMARK'
    ? `BOOKMARK ${e.object.metadata.resourceVersion}`
    : `${e.type} ${e.object.n}`;

const showBatch = (r: IteratorResult<readonly CacheWatchEvent<Obj>[]>): string[] | 'done' =>
  r.done ? 'done' : r.value.map(showEvent);

/** Resolves after the event loop's current turn, when a waiting batch reader has been woken. */
const turnEnds = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CacheWatcher', () => {
  it('delivers its initial events before live ones, without counting them against the limit', async () => {
    const { watcher, iterator } = makeWatcher({ maxPending: 1 });
    watcher.begin([added(1), added(2), added(3)], false, 0);
    expect(watcher.offer(added(4))).toBe(true);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(show(await iterator.next()));
    expect(seen).toEqual(['ADDED 1', 'ADDED 2', 'ADDED 3', 'ADDED 4']);
  });

  it('hands a waiting reader the next event as soon as it is offered', async () => {
    const { watcher, iterator } = makeWatcher();
    watcher.begin([], false, 0);
    const next = iterator.next();
    watcher.offer(added(5));
    expect(show(await next)).toBe('ADDED 5');
  });

  it('cuts itself off, dropping its queue, once more than maxPending events wait', async () => {
    const { watcher, iterator, endCount } = makeWatcher({ maxPending: 2 });
    watcher.begin([], false, 0);
    expect([1, 2, 3].map((r) => watcher.offer(added(r)))).toEqual([true, true, false]);
    expect(watcher.ended).toBe(true);
    expect(endCount()).toBe(1);
    await expect(iterator.next()).rejects.toBeInstanceOf(WatcherTooSlowError);
    expect(show(await iterator.next())).toBe('done');
  });

  it('fails after the events already queued, once', async () => {
    const { watcher, iterator } = makeWatcher();
    watcher.begin([], false, 0);
    watcher.offer(added(1));
    watcher.fail(new CacheGoneError(1, 9));
    expect(show(await iterator.next())).toBe('ADDED 1');
    await expect(iterator.next()).rejects.toBeInstanceOf(CacheGoneError);
    expect(show(await iterator.next())).toBe('done');
  });

  it('skips a bookmark the client does not need or has no room for', async () => {
    const { watcher, iterator } = makeWatcher({ allowBookmarks: true, maxPending: 1 });
    watcher.begin([], false, 5);
    watcher.offerBookmark(5, bookmark(5)); // nothing new since the start
    watcher.offer(added(6));
    watcher.offerBookmark(8, bookmark(8)); // queue full: skipped, not a cut-off
    expect(watcher.ended).toBe(false);
    expect(show(await iterator.next())).toBe('ADDED 6');
    watcher.offerBookmark(8, bookmark(8));
    expect(show(await iterator.next())).toBe('BOOKMARK 8');
  });

  it('ends normally when stopped, even with a reader waiting', async () => {
    const { watcher, iterator, endCount } = makeWatcher();
    watcher.begin([], false, 0);
    const next = iterator.next();
    watcher.stop();
    expect(show(await next)).toBe('done');
    expect(watcher.offer(added(1))).toBe(false);
    expect(endCount()).toBe(1);
  });
});

describe('CacheWatcher batches', () => {
  it('hands over everything ready as one batch: initial events, then the queue, in order', async () => {
    const { watcher, batches } = makeWatcher();
    watcher.begin([added(1), added(2)], false, 0);
    watcher.offer(added(3));
    watcher.offer(added(4));
    expect(showBatch(await batches.next())).toEqual(['ADDED 1', 'ADDED 2', 'ADDED 3', 'ADDED 4']);
    watcher.offer(added(5));
    expect(showBatch(await batches.next())).toEqual(['ADDED 5']);
  });

  it('wakes a waiting reader once the turn ends, with every event offered during it', async () => {
    const { watcher, batches } = makeWatcher({ allowBookmarks: true });
    watcher.begin([], false, 0);
    const next = batches.next();
    watcher.offer(added(1));
    watcher.offer(added(2));
    watcher.offerBookmark(3, bookmark(3));
    expect(showBatch(await next)).toEqual(['ADDED 1', 'ADDED 2', 'BOOKMARK 3']);
  });

  it(`splits what is ready into batches of at most ${MAX_BATCH}, losing and reordering nothing`, async () => {
    const total = MAX_BATCH * 2 + 10;
    const { watcher, batches } = makeWatcher({ maxPending: total });
    const initial = Array.from({ length: MAX_BATCH + 5 }, (_, i) => added(i + 1));
    watcher.begin(initial, false, 0);
    for (let r = initial.length + 1; r <= total; r++) watcher.offer(added(r));
    const sizes: number[] = [];
    const seen: string[] = [];
    while (seen.length < total) {
      const result = await batches.next();
      if (result.done) throw new Error(`ended after ${seen.length} of ${total} events`);
      sizes.push(result.value.length);
      seen.push(...result.value.map(showEvent));
    }
    expect(sizes).toEqual([MAX_BATCH, MAX_BATCH, 10]);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `ADDED ${i + 1}`));
  });

  it('gives a reader that fell behind the too-slow error instead of a batch, then ends', async () => {
    const { watcher, batches, endCount } = makeWatcher({ maxPending: 2 });
    watcher.begin([], false, 0);
    [1, 2, 3].forEach((r) => watcher.offer(added(r)));
    await expect(batches.next()).rejects.toBeInstanceOf(WatcherTooSlowError);
    expect(showBatch(await batches.next())).toBe('done');
    expect(endCount()).toBe(1);
  });

  it('cuts off a reader waiting for its turn-end batch and tells it why', async () => {
    const { watcher, batches } = makeWatcher({ maxPending: 2 });
    watcher.begin([], false, 0);
    const next = batches.next();
    [1, 2, 3].forEach((r) => watcher.offer(added(r)));
    await expect(next).rejects.toBeInstanceOf(WatcherTooSlowError);
  });

  it('fails after handing over the events queued before the failure', async () => {
    const { watcher, batches } = makeWatcher();
    watcher.begin([], false, 0);
    watcher.offer(added(1));
    watcher.offer(added(2));
    watcher.fail(new CacheGoneError(2, 9));
    expect(showBatch(await batches.next())).toEqual(['ADDED 1', 'ADDED 2']);
    await expect(batches.next()).rejects.toBeInstanceOf(CacheGoneError);
    expect(showBatch(await batches.next())).toBe('done');
  });

  it("never hands a stopped watcher's events to its waiting reader", async () => {
    const { watcher, batches } = makeWatcher();
    watcher.begin([], false, 0);
    const next = batches.next();
    watcher.offer(added(1)); // queued for the end of the turn…
    watcher.stop(); // …but the watch ends first
    expect(watcher.offer(added(2))).toBe(false);
    expect(showBatch(await next)).toBe('done');
    await turnEnds();
    expect(showBatch(await batches.next())).toBe('done');
  });

  it('ends the watch when the reader breaks out of its loop', async () => {
    const { watcher, endCount } = makeWatcher();
    watcher.begin([added(1)], false, 0);
    for await (const batch of watcher.batches()) {
      expect(batch.map(showEvent)).toEqual(['ADDED 1']);
      break;
    }
    expect(watcher.ended).toBe(true);
    expect(endCount()).toBe(1);
  });

  it('fails a waiting reader, rather than the event loop, when its selector throws', async () => {
    const { watcher, batches } = makeWatcher({
      predicate: () => {
        throw new TypeError('bad selector');
      },
    });
    const next = batches.next();
    watcher.begin([added(1)], true, 0);
    await expect(next).rejects.toThrow('cache watch failed while filtering its events');
    expect(watcher.ended).toBe(true);
  });

  it('refuses a second batch read while one is waiting', async () => {
    const { watcher, batches } = makeWatcher();
    watcher.begin([], false, 0);
    const first = batches.next();
    await expect(batches.next()).rejects.toThrow('one batch read at a time');
    watcher.offer(added(1));
    expect(showBatch(await first)).toEqual(['ADDED 1']);
  });
});
