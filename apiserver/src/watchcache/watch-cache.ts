// The watch cache for one resource, as Kubernetes' cacher: ONE storage watch (./reflector.ts)
// feeds an in-memory copy of the resource (./object-store.ts) and a ring of its recent events
// (./event-ring.ts); every list at resourceVersion "0" and every watch is served from here, so a
// thousand informers cost storage one watch instead of a thousand.
//
// resourceVersion is the storage revision. The cache's own `revision` is the newest revision it
// has applied: an event's, or a list's. It only moves when something under the prefix changes
// (or on a relist), so while the resource is idle it lags storage's current revision, which also
// counts writes to other resources. Kubernetes has the same property; the storage interface has
// no progress notifications (etcd's RequestWatchProgress) that would let an idle cache catch up,
// so `waitUntilFresh(rv)` for an rv the resource never reached times out. For a consistent list
// the apiserver should therefore check `revision >= storage.currentRevision()` and otherwise serve
// the list from storage (what Kubernetes does when etcd cannot report progress).
//
// Everything that changes the cache happens synchronously in `apply`/`replace`, one event at a
// time, and watchers are registered synchronously too: that is what makes "state at revision R
// plus every event after R" exact for each watcher, with no locks.
import { deepFreeze, realClock, type Clock, type Timer } from '@skiff/api';
import type { KeyValue, Storage, WatchEvent } from '../storage/interface.js';
import { StorageError } from '../storage/errors.js';
import { CacheEvent, type BookmarkObject, type BookmarkWatchEvent } from './cache-event.js';
import { CacheWatcher, type CacheWatch } from './cache-watcher.js';
import { CacheGoneError, CacheNotReadyError, CacheStoppedError } from './errors.js';
import { EventRing } from './event-ring.js';
import { ObjectStore } from './object-store.js';
import { runReflector, type ReflectorSink } from './reflector.js';
import { parseResourceVersion } from './resource-version.js';
import { RevisionWaiters } from './revision-waiters.js';
import type { WatchFilter } from './watch-filter.js';

/** Kubernetes' watch cache holds 100–1000 events per resource; we keep the upper figure. */
export const DEFAULT_CAPACITY = 1000;
/** Kubernetes sends watchers that allow bookmarks one about every minute. */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
/** Two seconds of backlog at 500 events/s before a watcher counts as stalled. */
export const DEFAULT_MAX_PENDING_PER_WATCHER = 1000;
/** How long a request may wait for readiness or freshness: Kubernetes' cacher waits 3 s. */
export const DEFAULT_WAIT_TIMEOUT_MS = 3000;
/** Page size of the cache's own lists from storage (Kubernetes' reflector uses 500). */
export const DEFAULT_LIST_PAGE_SIZE = 500;

export interface WatchCacheOptions<T> {
  readonly storage: Storage;
  /** The resource's storage prefix, ending in `/`, e.g. `pods/` (see ../storage/keys.ts). */
  readonly prefix: string;
  /**
   * The object in a stored value, with metadata.resourceVersion = String(kv.modRevision). The
   * cache deep-freezes what it returns. A value that fails to decode fails the cache's list (or
   * forces a relist), loudly, rather than leaving the object silently out of the cache.
   */
  readonly decode: (kv: KeyValue) => T;
  readonly clock?: Clock;
  /** How many recent events a watch can resume from. Default DEFAULT_CAPACITY. */
  readonly capacity?: number;
  /** How often watchers that allow bookmarks get one. Default DEFAULT_BOOKMARK_INTERVAL_MS. */
  readonly bookmarkIntervalMs?: number;
  /** The object of a BOOKMARK event (to add kind and apiVersion). Default: metadata only. */
  readonly bookmarkOf?: (resourceVersion: string) => BookmarkObject;
  /** Events a watcher may leave unread before it is cut off. Default DEFAULT_MAX_PENDING_PER_WATCHER. */
  readonly maxPendingPerWatcher?: number;
  /** Bound on waiting for readiness or a resourceVersion. Default DEFAULT_WAIT_TIMEOUT_MS. */
  readonly waitTimeoutMs?: number;
  readonly listPageSize?: number;
  /** Where retried failures are reported. Default console.warn. */
  readonly warn?: (message: string) => void;
}

export interface CacheListOptions<T> extends WatchFilter<T> {
  /**
   * Omitted or "0": whatever the cache has. A number: at least that fresh (waits for the cache,
   * up to the wait timeout, then TooLargeResourceVersionError). "" (most recent) is refused.
   * There is no `limit`/`continue`: the cache holds only the current state, so it cannot serve a
   * later page at the first page's revision. As in Kubernetes, paginated lists (and lists at an
   * exact resourceVersion) go to storage; a list at "0" with a limit may ignore the limit.
   */
  readonly resourceVersion?: string;
  readonly signal?: AbortSignal;
}

export interface CacheListResult<T> {
  /** In key order; frozen, shared with every other reader. */
  readonly items: readonly T[];
  /** The revision the list reflects (the cache's revision when it was taken). */
  readonly resourceVersion: string;
}

export interface CacheGetResult<T> {
  readonly object: T | undefined;
  readonly resourceVersion: string;
}

export interface CacheWatchOptions<T> extends WatchFilter<T> {
  /**
   * The client's resourceVersion: events strictly after it are delivered. Undefined or 0: the
   * current state first, as synthetic ADDED events, then live events. Older than the cache's
   * history: the iteration throws CacheGoneError. Newer than the cache: waits for the cache (up
   * to the wait timeout, then TooLargeResourceVersionError).
   */
  readonly afterRevision?: number;
  readonly allowBookmarks?: boolean;
  /** Aborting ends the watch normally. */
  readonly signal?: AbortSignal;
}

/** Figures for metrics (apiserver_registered_watchers, apiserver_storage_objects, …). */
export interface WatchCacheStats {
  readonly prefix: string;
  readonly ready: boolean;
  readonly revision: number;
  /** The oldest resourceVersion a watch can resume from. */
  readonly oldestRevision: number;
  readonly objects: number;
  readonly watchers: number;
  readonly ringEvents: number;
  /** Storage events applied. */
  readonly eventsReceived: number;
  /** Events queued to watchers, summed over watchers. */
  readonly eventsDispatched: number;
  /** Watchers cut off for falling behind. */
  readonly watchersTooSlow: number;
  /** Watchers ended with Gone because the cache had to relist. */
  readonly watchersExpired: number;
  /** Lists from storage, the first one included. */
  readonly lists: number;
}

type Lifecycle = 'new' | 'running' | 'stopped';

export class WatchCache<T extends object> {
  readonly prefix: string;
  private readonly storage: Storage;
  private readonly decode: (kv: KeyValue) => T;
  private readonly clock: Clock;
  private readonly bookmarkIntervalMs: number;
  private readonly bookmarkOf: (resourceVersion: string) => BookmarkObject;
  private readonly maxPending: number;
  private readonly waitTimeoutMs: number;
  private readonly listPageSize: number;
  private readonly warn: (message: string) => void;

  private readonly store = new ObjectStore<T>();
  private readonly ring: EventRing<T>;
  private readonly waiters: RevisionWaiters;
  private readonly allNamespaceWatchers = new Set<CacheWatcher<T>>();
  private readonly namespaceWatchers = new Map<string, Set<CacheWatcher<T>>>();
  private readyWaiters = new Set<{ resolve(): void; reject(error: Error): void }>();
  private bookmarkTimer: Timer | undefined;

  private lifecycle: Lifecycle = 'new';
  private isReady = false;
  private hasListed = false;
  private currentRevision = 0;
  /** Every event after this revision is in the ring. */
  private historyStart = 0;
  private readonly counters = {
    eventsReceived: 0,
    eventsDispatched: 0,
    watchersTooSlow: 0,
    watchersExpired: 0,
    lists: 0,
  };

  constructor(options: WatchCacheOptions<T>) {
    if (!options.prefix.endsWith('/')) {
      throw new TypeError(`watch cache prefix must end with "/", got ${options.prefix}`);
    }
    this.prefix = options.prefix;
    this.storage = options.storage;
    this.decode = options.decode;
    this.clock = options.clock ?? realClock;
    this.ring = new EventRing(options.capacity ?? DEFAULT_CAPACITY);
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS;
    this.bookmarkOf =
      options.bookmarkOf ?? ((resourceVersion) => ({ metadata: { resourceVersion } }));
    this.maxPending = options.maxPendingPerWatcher ?? DEFAULT_MAX_PENDING_PER_WATCHER;
    this.waitTimeoutMs = options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    this.listPageSize = options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
    this.warn = options.warn ?? ((message) => console.warn(message));
    this.waiters = new RevisionWaiters(this.clock, () => this.currentRevision);
  }

  /**
   * Lists, then watches storage until `signal` aborts; resolves once stopped. Failures are
   * retried (and reported through `warn`), never thrown. Call once.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.lifecycle !== 'new') throw new Error(`watch cache ${this.prefix} already started`);
    this.lifecycle = 'running';
    this.scheduleBookmarks();
    const sink: ReflectorSink = {
      listing: () => this.listing(),
      replace: (items, revision) => this.replace(items, revision),
      apply: (event) => this.apply(event),
      revision: () => this.currentRevision,
    };
    try {
      await runReflector(
        {
          storage: this.storage,
          prefix: this.prefix,
          clock: this.clock,
          pageSize: this.listPageSize,
          warn: this.warn,
        },
        sink,
        signal,
      );
    } finally {
      this.stop();
    }
  }

  /** True once the cache holds a complete list, until a relist or stop (for /readyz). */
  get ready(): boolean {
    return this.isReady;
  }

  /** Resolves when the cache is ready; rejects if it stops (or `signal` aborts) first. */
  waitReady(signal?: AbortSignal): Promise<void> {
    return this.whenReady(undefined, signal);
  }

  /** The newest revision the cache has applied: the resourceVersion of what it serves. */
  get revision(): number {
    return this.currentRevision;
  }

  /**
   * The cached (frozen) object stored at `storageKey` when its state there is exactly
   * `modRevision`, else undefined. A read from storage can use it instead of decoding the same
   * bytes again: the cache's objects carry their encodings once made (protobuf's among them),
   * so a list served from storage need not build them afresh for every request.
   */
  objectAt(storageKey: string, modRevision: number): T | undefined {
    if (!this.isReady || !storageKey.startsWith(this.prefix)) return undefined;
    const entry = this.store.get(storageKey.slice(this.prefix.length));
    return entry?.revision === modRevision ? entry.object : undefined;
  }

  /**
   * Resolves once the cache has reached `revision`; TooLargeResourceVersionError (→ 504) if it
   * does not within `timeoutMs` (default: the cache's wait timeout).
   */
  waitUntilFresh(
    revision: number,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (this.lifecycle === 'stopped' && this.currentRevision < revision) {
      return Promise.reject(new CacheStoppedError(this.prefix));
    }
    return this.waiters.wait(revision, options.timeoutMs ?? this.waitTimeoutMs, options.signal);
  }

  async list(options: CacheListOptions<T> = {}): Promise<CacheListResult<T>> {
    await this.whenServable(parseResourceVersion(options.resourceVersion), options.signal);
    const { predicate } = options;
    const items: T[] = [];
    for (const entry of this.store.sorted(options.namespace)) {
      if (!predicate || predicate(entry.object)) items.push(entry.object);
    }
    return { items: Object.freeze(items), resourceVersion: String(this.currentRevision) };
  }

  /** One object by namespace (omit for cluster-scoped) and name, like a GET at resourceVersion "0". */
  async get(
    name: string,
    options: { namespace?: string; resourceVersion?: string; signal?: AbortSignal } = {},
  ): Promise<CacheGetResult<T>> {
    await this.whenServable(parseResourceVersion(options.resourceVersion), options.signal);
    const key = options.namespace === undefined ? name : `${options.namespace}/${name}`;
    return {
      object: this.store.get(key)?.object,
      resourceVersion: String(this.currentRevision),
    };
  }

  /** A watch served from the cache. Errors (Gone, too slow, …) are thrown from its iteration. */
  watch(options: CacheWatchOptions<T> = {}): CacheWatch<T> {
    const filter: WatchFilter<T> = { namespace: options.namespace, predicate: options.predicate };
    const { signal } = options;
    const onAbort = (): void => watcher.stop();
    const watcher: CacheWatcher<T> = new CacheWatcher<T>({
      filter,
      allowBookmarks: options.allowBookmarks ?? false,
      maxPending: this.maxPending,
      onEnd: () => {
        this.detach(watcher);
        signal?.removeEventListener('abort', onAbort);
      },
    });
    if (signal?.aborted) {
      watcher.stop();
      return watcher;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const after = options.afterRevision ?? 0;
    // Attach now when possible, so the watch starts at the instant it was asked for.
    if (this.isReady && after <= this.currentRevision) this.attach(watcher, after);
    else {
      this.whenServable(after, signal).then(
        () => this.attach(watcher, after),
        (err: unknown) => watcher.fail(asError(err)),
      );
    }
    return watcher;
  }

  stats(): WatchCacheStats {
    let watchers = this.allNamespaceWatchers.size;
    for (const set of this.namespaceWatchers.values()) watchers += set.size;
    return {
      prefix: this.prefix,
      ready: this.isReady,
      revision: this.currentRevision,
      oldestRevision: this.historyStart,
      objects: this.store.size,
      watchers,
      ringEvents: this.ring.size,
      ...this.counters,
    };
  }

  // ---- serving ----

  private async whenServable(minRevision: number, signal?: AbortSignal): Promise<void> {
    if (!this.isReady) await this.whenReady(this.waitTimeoutMs, signal);
    if (minRevision > this.currentRevision) await this.waitUntilFresh(minRevision, { signal });
  }

  private whenReady(timeoutMs: number | undefined, signal?: AbortSignal): Promise<void> {
    if (this.isReady) return Promise.resolve();
    if (this.lifecycle === 'stopped') return Promise.reject(new CacheStoppedError(this.prefix));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : this.clock.setTimer(timeoutMs, () =>
              settle(() => reject(new CacheNotReadyError(this.prefix, timeoutMs))),
            );
      const onAbort = (): void => settle(() => reject(signal?.reason));
      const waiter = {
        resolve: () => settle(resolve),
        reject: (error: Error) => settle(() => reject(error)),
      };
      const settle = (how: () => void): void => {
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
        this.readyWaiters.delete(waiter);
        how();
      };
      this.readyWaiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Starts delivering to `watcher`: its initial events, then every later event. Synchronous. */
  private attach(watcher: CacheWatcher<T>, afterRevision: number): void {
    if (watcher.ended) return;
    if (this.lifecycle === 'stopped') {
      watcher.fail(new CacheStoppedError(this.prefix));
      return;
    }
    if (afterRevision === 0) {
      watcher.begin(this.store.sorted(watcher.namespace), true, 0);
    } else if (afterRevision < this.historyStart) {
      watcher.fail(new CacheGoneError(afterRevision, this.historyStart));
      return;
    } else {
      watcher.begin(this.ring.after(afterRevision), false, afterRevision);
    }
    this.watchersFor(watcher.namespace, true)?.add(watcher);
  }

  private detach(watcher: CacheWatcher<T>): void {
    const set = this.watchersFor(watcher.namespace, false);
    set?.delete(watcher);
    if (watcher.namespace !== undefined && set?.size === 0) {
      this.namespaceWatchers.delete(watcher.namespace);
    }
  }

  private watchersFor(
    namespace: string | undefined,
    create: boolean,
  ): Set<CacheWatcher<T>> | undefined {
    if (namespace === undefined) return this.allNamespaceWatchers;
    let set = this.namespaceWatchers.get(namespace);
    if (!set && create) {
      set = new Set();
      this.namespaceWatchers.set(namespace, set);
    }
    return set;
  }

  private *allWatchers(): Iterable<CacheWatcher<T>> {
    yield* this.allNamespaceWatchers;
    for (const set of this.namespaceWatchers.values()) yield* set;
  }

  // ---- fed by the reflector ----

  private listing(): void {
    this.isReady = false;
    if (!this.hasListed) return;
    // A relist means the storage watch could not resume (history compacted, or an event the
    // cache could not apply), so every watcher may miss events. As Kubernetes' cacher does, end
    // them now rather than leave them hanging until the list succeeds: their clients re-watch,
    // wait for readiness, and resume or relist.
    const detail =
      `the watch cache is relisting from storage after losing its watch at revision ` +
      `${this.currentRevision}; events after it may have been missed`;
    for (const watcher of [...this.allWatchers()]) {
      this.counters.watchersExpired++;
      watcher.fail(new CacheGoneError(watcher.coveredRevision, this.currentRevision + 1, detail));
    }
  }

  private replace(items: readonly KeyValue[], revision: number): void {
    const entries = items.map((kv) => this.entryFromList(kv));
    this.counters.lists++;
    // History continues only if nothing happened since our revision; otherwise it restarts at
    // the list, and resuming from before it answers Gone.
    if (!this.hasListed || revision !== this.currentRevision) {
      this.ring.clear();
      this.historyStart = revision;
    }
    this.store.reset(entries);
    this.hasListed = true;
    this.currentRevision = Math.max(this.currentRevision, revision);
    this.isReady = true;
    for (const waiter of [...this.readyWaiters]) waiter.resolve();
    this.waiters.advanced();
  }

  private apply(event: WatchEvent): void {
    const { kv } = event;
    const revision = kv.modRevision;
    // A resumed watch starts after our revision, so this only guards against a backend replaying
    // an event it already sent; applying it twice would send every watcher a duplicate.
    if (revision <= this.currentRevision) return;
    const key = this.relativeKey(kv.key);
    const namespace = namespaceOf(key);
    const current = this.store.get(key);
    let change: CacheEvent<T>;
    if (event.type === 'put') {
      const object = deepFreeze(this.decode(kv));
      change = new CacheEvent(
        current ? 'MODIFIED' : 'ADDED',
        key,
        namespace,
        revision,
        object,
        current?.object,
      );
      this.store.set(change);
    } else if (current) {
      if (!event.prevKv) {
        throw new StorageError('Internal', `delete event for ${kv.key} carries no prevKv`, kv.key);
      }
      // The last state, stamped with the deletion's revision, as Kubernetes' DELETED events are.
      const object = deepFreeze(this.decode({ ...event.prevKv, modRevision: revision }));
      change = new CacheEvent('DELETED', key, namespace, revision, object, current.object);
      this.store.delete(key);
    } else {
      // Deleting what the cache never had (cannot happen while in step): nothing to tell anyone.
      this.currentRevision = revision;
      this.waiters.advanced();
      return;
    }
    this.counters.eventsReceived++;
    const evicted = this.ring.push(change);
    if (evicted) this.historyStart = evicted.revision;
    this.currentRevision = revision;
    this.dispatch(change);
    this.waiters.advanced();
  }

  private dispatch(change: CacheEvent<T>): void {
    let delivered = 0;
    // Namespaced watchers are indexed by namespace, so an event only visits the watchers that
    // could want it: with many per-namespace informers that is most of the fan-out saved.
    for (const watcher of this.allNamespaceWatchers) if (this.deliver(watcher, change)) delivered++;
    if (change.namespace !== undefined) {
      const set = this.namespaceWatchers.get(change.namespace);
      if (set) for (const watcher of set) if (this.deliver(watcher, change)) delivered++;
    }
    this.counters.eventsDispatched += delivered;
  }

  private deliver(watcher: CacheWatcher<T>, change: CacheEvent<T>): boolean {
    const queued = watcher.offer(change);
    if (!queued && watcher.ended) this.counters.watchersTooSlow++;
    return queued;
  }

  private entryFromList(kv: KeyValue): CacheEvent<T> {
    const key = this.relativeKey(kv.key);
    const object = deepFreeze(this.decode(kv));
    return new CacheEvent('ADDED', key, namespaceOf(key), kv.modRevision, object, undefined);
  }

  private relativeKey(storageKey: string): string {
    if (!storageKey.startsWith(this.prefix)) {
      throw new StorageError(
        'Internal',
        `storage returned key ${storageKey} outside the watched prefix ${this.prefix}`,
        storageKey,
      );
    }
    return storageKey.slice(this.prefix.length);
  }

  // ---- bookmarks and shutdown ----

  private scheduleBookmarks(): void {
    if (this.bookmarkIntervalMs <= 0) return;
    this.bookmarkTimer = this.clock.setTimer(this.bookmarkIntervalMs, () => {
      this.sendBookmarks();
      if (this.lifecycle === 'running') this.scheduleBookmarks();
    });
  }

  private sendBookmarks(): void {
    if (!this.isReady) return;
    let bookmark: BookmarkWatchEvent | undefined;
    for (const watcher of this.allWatchers()) {
      if (!watcher.allowBookmarks || watcher.coveredRevision >= this.currentRevision) continue;
      bookmark ??= Object.freeze({
        type: 'BOOKMARK',
        object: deepFreeze(this.bookmarkOf(String(this.currentRevision))),
      });
      watcher.offerBookmark(this.currentRevision, bookmark);
    }
  }

  private stop(): void {
    if (this.lifecycle === 'stopped') return;
    this.lifecycle = 'stopped';
    this.isReady = false;
    this.bookmarkTimer?.cancel();
    for (const watcher of [...this.allWatchers()]) watcher.stop();
    const stopped = new CacheStoppedError(this.prefix);
    for (const waiter of [...this.readyWaiters]) waiter.reject(stopped);
    this.waiters.rejectAll(stopped);
  }
}

/** `namespace/name` → namespace; a cluster-scoped `name` has none. */
function namespaceOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash < 0 ? undefined : key.slice(0, slash);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
