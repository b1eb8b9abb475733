// One client's watch on the cache. The cache's dispatch loop pushes events into a small queue per
// watcher and never waits for anyone: a watcher whose queue grows past `maxPending` is cut off
// (its queue dropped, its iteration ending with WatcherTooSlowError) so a stalled client can
// neither slow the others nor hold memory without bound. The client re-watches from the last
// resourceVersion it saw, as it would after any dropped watch.
//
// A watch begins with its initial events: the current state announced as ADDED (no
// resourceVersion given) or the ring's events after the requested resourceVersion. Those come
// from a snapshot array shared with the cache (not copied per watcher, not counted against
// `maxPending`, and filtered only as the client reads them), then the live queue follows.
//
// A watch can be read event by event (for-await on the watch) or in batches (`batches()`): the
// HTTP layer reads batches, so a client that has fallen behind, or a server busy fanning one
// event out to a thousand sockets, pays for one socket write per batch rather than per event.
import type { BookmarkWatchEvent, CacheEvent, CacheWatchEvent } from './cache-event.js';
import { WatcherTooSlowError } from './errors.js';
import { flushAfterThisTurn } from './next-turn.js';
import { selectEvent, selectInitial, type WatchFilter } from './watch-filter.js';

/**
 * The most events one batch carries. A watch that starts from a large state has all of it ready
 * at once; this bounds the size of a single write (about 400 KiB of pods) so backpressure still
 * acts in steps. The live queue rarely reaches it.
 */
export const MAX_BATCH = 256;

const NOTHING: readonly never[] = Object.freeze([]);

/** A running watch: iterate it; `stop()` (or breaking out of for-await) ends it. */
export interface CacheWatch<T> extends AsyncIterable<CacheWatchEvent<T>> {
  stop(): void;
  /**
   * The same events in the same order, handed over in non-empty batches: each is everything
   * ready when the reader asks (up to MAX_BATCH) or, if nothing is, whatever arrives before the
   * event loop's current turn ends (see ./next-turn.ts). Errors are thrown as from the events'
   * iteration, after the events queued before them. Read a watch one way, not both; one batch
   * read at a time.
   */
  batches(): AsyncIterable<readonly CacheWatchEvent<T>[]>;
}

export interface CacheWatcherOptions<T> {
  readonly filter: WatchFilter<T>;
  readonly allowBookmarks: boolean;
  readonly maxPending: number;
  /** Detaches the watcher from the cache; called once, when the watch ends for any reason. */
  readonly onEnd: () => void;
}

interface Waiter<E> {
  resolve(result: IteratorResult<E>): void;
  reject(error: unknown): void;
}

type Phase = 'starting' | 'live' | 'ended';

export class CacheWatcher<T> implements CacheWatch<T> {
  private phase: Phase = 'starting';
  private initial: readonly CacheEvent<T>[] = [];
  /** True: the initial entries are the current state, announced as ADDED. */
  private initialIsState = false;
  private initialIndex = 0;
  /** Read from `head`; slots already read are cleared so the records can be collected. */
  private queue: (CacheWatchEvent<T> | undefined)[] = [];
  private head = 0;
  private waiters: Waiter<CacheWatchEvent<T>>[] = [];
  /** The batch reader waiting for events, woken at the end of the turn they arrive in. */
  private batchWaiter: Waiter<readonly CacheWatchEvent<T>[]> | undefined;
  private flushScheduled = false;
  private readonly flushBatch = (): void => this.flush();
  /** Thrown once after the queued events, then the iteration is done. */
  private failure: Error | undefined;
  /** The highest resourceVersion the client has been told about (or will be, once it reads). */
  private covered = 0;

  constructor(private readonly options: CacheWatcherOptions<T>) {}

  get namespace(): string | undefined {
    return this.options.filter.namespace;
  }

  get allowBookmarks(): boolean {
    return this.options.allowBookmarks;
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  /** The last resourceVersion queued for this watcher: where its client would resume. */
  get coveredRevision(): number {
    return this.covered;
  }

  /** Go live (called by the cache at the same instant it starts dispatching to this watcher). */
  begin(initial: readonly CacheEvent<T>[], initialIsState: boolean, afterRevision: number): void {
    if (this.phase !== 'starting') return;
    this.phase = 'live';
    this.initial = initial;
    this.initialIsState = initialIsState;
    this.covered = afterRevision;
    this.wake();
  }

  /** Queues `event` if the watcher selects it; false if not (or if that cut the watcher off). */
  offer(event: CacheEvent<T>): boolean {
    if (this.phase !== 'live') return false;
    const record = selectEvent(this.options.filter, event);
    if (!record) return false;
    this.queue.push(record);
    this.covered = event.revision;
    const pending = this.queue.length - this.head;
    if (pending > this.options.maxPending) {
      this.end(new WatcherTooSlowError(pending), { dropQueued: true });
      return false;
    }
    this.wake();
    return true;
  }

  /**
   * Queues a bookmark for `revision` unless the client already knows of it. A bookmark is a
   * courtesy: it is skipped rather than ever pushing a watcher over its limit.
   */
  offerBookmark(revision: number, bookmark: BookmarkWatchEvent): void {
    if (this.phase !== 'live' || !this.options.allowBookmarks || revision <= this.covered) return;
    if (this.queue.length - this.head >= this.options.maxPending) return;
    this.queue.push(bookmark);
    this.covered = revision;
    this.wake();
  }

  /** Ends the watch with `error`, after the events already queued. */
  fail(error: Error): void {
    this.end(error, { dropQueued: false });
  }

  /** Ends the watch normally, now (the client went away, or the cache stopped). */
  stop(): void {
    this.end(undefined, { dropQueued: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<CacheWatchEvent<T>> {
    return {
      next: () => this.next(),
      return: () => {
        this.stop();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  batches(): AsyncIterable<readonly CacheWatchEvent<T>[]> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => this.nextBatch(),
        return: () => {
          this.stop();
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    };
  }

  private next(): Promise<IteratorResult<CacheWatchEvent<T>>> {
    const value = this.take();
    if (value) return Promise.resolve({ done: false, value });
    if (this.phase === 'ended') return this.finish();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private nextBatch(): Promise<IteratorResult<readonly CacheWatchEvent<T>[]>> {
    if (this.batchWaiter) {
      return Promise.reject(new Error('a cache watch serves one batch read at a time'));
    }
    const batch = this.takeBatch();
    if (batch.length > 0) return Promise.resolve({ done: false, value: batch });
    if (this.phase === 'ended') return this.finish();
    return new Promise((resolve, reject) => {
      this.batchWaiter = { resolve, reject };
    });
  }

  /** The next record for the client, if one is ready. */
  private take(): CacheWatchEvent<T> | undefined {
    const initial = this.nextInitial();
    if (initial) return initial;
    if (this.head >= this.queue.length) return undefined;
    const record = this.queue[this.head];
    this.queue[this.head] = undefined;
    this.consumed(1);
    return record;
  }

  /**
   * The next initial entry the filter selects, as the record to send; once they are all read,
   * undefined (and the snapshot is let go).
   */
  private nextInitial(): CacheWatchEvent<T> | undefined {
    while (this.initialIndex < this.initial.length) {
      const entry = this.initial[this.initialIndex++];
      if (!entry) continue;
      const record = this.initialIsState
        ? selectInitial(this.options.filter, entry)
        : selectEvent(this.options.filter, entry);
      if (record) return record;
    }
    if (this.initialIndex > 0) this.dropInitial();
    return undefined;
  }

  /** Every record ready for the client, up to MAX_BATCH, in order; empty if none is. */
  private takeBatch(): readonly CacheWatchEvent<T>[] {
    let batch: CacheWatchEvent<T>[] | undefined;
    while (!batch || batch.length < MAX_BATCH) {
      const record = this.nextInitial();
      if (!record) break;
      (batch ??= []).push(record);
    }
    const available = this.queue.length - this.head;
    const room = MAX_BATCH - (batch?.length ?? 0);
    if (available === 0 || room === 0) return batch ?? NOTHING;
    if (!batch && this.head === 0 && available <= room) {
      // The whole queue becomes the batch, uncopied. With head at 0 no slot has been cleared,
      // so every element is a record.
      const whole = this.queue as CacheWatchEvent<T>[];
      this.queue = [];
      return whole;
    }
    batch ??= [];
    const end = this.head + Math.min(available, room);
    for (let i = this.head; i < end; i++) {
      const record = this.queue[i];
      this.queue[i] = undefined;
      if (record) batch.push(record);
    }
    this.consumed(end - this.head);
    return batch;
  }

  /** Moves `head` past records just read, shrinking the queue when that frees enough of it. */
  private consumed(count: number): void {
    this.head += count;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private finish<E>(): Promise<IteratorResult<E>> {
    return new Promise((resolve, reject) => this.settleEnded({ resolve, reject }));
  }

  /** The error once (to the first reader after the end), then plain completion. */
  private settleEnded<E>(waiter: Waiter<E>): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) waiter.reject(failure);
    else waiter.resolve({ done: true, value: undefined });
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const value = this.take();
      if (value) {
        this.waiters.shift()?.resolve({ done: false, value });
        continue;
      }
      if (this.phase !== 'ended') return;
      const waiter = this.waiters.shift();
      if (waiter) this.settleEnded(waiter);
    }
    if (!this.batchWaiter) return;
    // Once ended nothing more can arrive, so the batch reader is settled now.
    if (this.phase === 'ended') this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      flushAfterThisTurn(this.flushBatch);
    }
  }

  /** Hands the waiting batch reader what is ready, or the end; runs at the end of a turn. */
  private flush(): void {
    this.flushScheduled = false;
    const waiter = this.batchWaiter;
    if (!waiter) return;
    let batch: readonly CacheWatchEvent<T>[];
    try {
      batch = this.takeBatch();
    } catch (err) {
      // A selector that throws on an initial event: the watch cannot go on, and its reader is
      // told why (this runs from the event loop, where a throw would reach no one).
      const failure = new Error('cache watch failed while filtering its events', { cause: err });
      if (this.phase !== 'ended') this.end(failure, { dropQueued: true });
      else {
        this.batchWaiter = undefined;
        waiter.reject(failure);
      }
      return;
    }
    if (batch.length > 0) {
      this.batchWaiter = undefined;
      waiter.resolve({ done: false, value: batch });
    } else if (this.phase === 'ended') {
      this.batchWaiter = undefined;
      this.settleEnded(waiter);
    }
  }

  private end(error: Error | undefined, { dropQueued }: { dropQueued: boolean }): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.failure = error;
    if (dropQueued) {
      this.dropInitial();
      this.queue = [];
      this.head = 0;
    }
    this.options.onEnd();
    this.wake();
  }

  /** Releases the snapshot so the cache's old state can be collected. */
  private dropInitial(): void {
    this.initial = [];
    this.initialIndex = 0;
  }
}
