import { describe, expect, it } from 'vitest';
import { CacheEvent, type BookmarkWatchEvent, type CacheWatchEvent } from './cache-event.js';
import { CacheWatcher } from './cache-watcher.js';
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

function makeWatcher(options: { maxPending?: number; allowBookmarks?: boolean } = {}) {
  let ended = 0;
  const watcher = new CacheWatcher<Obj>({
    filter: {},
    allowBookmarks: options.allowBookmarks ?? false,
    maxPending: options.maxPending ?? 10,
    onEnd: () => ended++,
  });
  return { watcher, endCount: () => ended, iterator: watcher[Symbol.asyncIterator]() };
}

const show = (r: IteratorResult<CacheWatchEvent<Obj>>): string =>
  r.done
    ? 'done'
    : r.value.type === 'BOOKMARK'
      ? `BOOKMARK ${r.value.object.metadata.resourceVersion}`
      : `${r.value.type} ${r.value.object.n}`;

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
