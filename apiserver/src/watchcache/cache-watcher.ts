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
import type { BookmarkWatchEvent, CacheEvent, CacheWatchEvent } from './cache-event.js';
import { WatcherTooSlowError } from './errors.js';
import { selectEvent, selectInitial, type WatchFilter } from './watch-filter.js';

/** A running watch: iterate it; `stop()` (or breaking out of for-await) ends it. */
export interface CacheWatch<T> extends AsyncIterable<CacheWatchEvent<T>> {
  stop(): void;
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

  private next(): Promise<IteratorResult<CacheWatchEvent<T>>> {
    const value = this.take();
    if (value) return Promise.resolve({ done: false, value });
    if (this.phase === 'ended') return this.finish();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The next record for the client, if one is ready. */
  private take(): CacheWatchEvent<T> | undefined {
    while (this.initialIndex < this.initial.length) {
      const entry = this.initial[this.initialIndex++];
      if (!entry) continue;
      const record = this.initialIsState
        ? selectInitial(this.options.filter, entry)
        : selectEvent(this.options.filter, entry);
      if (record) return record;
    }
    if (this.initialIndex > 0) this.dropInitial();
    if (this.head >= this.queue.length) return undefined;
    const record = this.queue[this.head];
    this.queue[this.head] = undefined;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return record;
  }

  private finish(): Promise<IteratorResult<CacheWatchEvent<T>>> {
    return new Promise((resolve, reject) => this.settleEnded({ resolve, reject }));
  }

  /** The error once (to the first reader after the end), then plain completion. */
  private settleEnded(waiter: Waiter<CacheWatchEvent<T>>): void {
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
