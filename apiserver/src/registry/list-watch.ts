// Where lists and watches are served from. The watch cache (one storage watch per resource)
// serves what it can answer without waiting: lists at resourceVersion "0" (or an older one), and
// watches starting from its state or from a revision it has reached. Everything else goes to
// storage: consistent lists (""), pages (limit/continue), exact revisions — and watches from a
// revision the cache has not seen, because on an idle resource the cache cannot tell that nothing
// happened since (storage offers no progress notifications), so waiting for it would stall. The
// exception is a revision this server wrote itself: that event is certain to reach the cache.
import type { List, Status, WatchEvent } from '@skiff/api';
import { ApiError, apiErrors } from '@skiff/api';
import type { WatchCache } from '../watchcache/index.js';
import type { ApiObject } from './api-object.js';
import { fromCacheError } from './cache-errors.js';
import { listObjects } from './list.js';
import { type ListParams, parseRevision, selects } from './list-options.js';
import type { Registry } from './registry.js';
import { watchObjects, type WatchStream } from './watch.js';

export type ObjectCache = WatchCache<ApiObject>;

function cacheFor(registry: Registry): ObjectCache | undefined {
  const cache = registry.cache;
  return cache?.ready ? cache : undefined;
}

function wantedRevision(params: ListParams): number | undefined {
  if (params.resourceVersion === '') return undefined;
  return params.resourceVersion === '0' ? 0 : parseRevision(params.resourceVersion);
}

export async function list(
  registry: Registry,
  namespace: string | undefined,
  params: ListParams,
): Promise<List<ApiObject>> {
  const cache = cacheFor(registry);
  const wanted = wantedRevision(params);
  const cacheable =
    cache !== undefined &&
    wanted !== undefined &&
    params.resourceVersionMatch !== 'Exact' &&
    params.continueToken === undefined &&
    // A limit asks for pages, which only storage can serve at a fixed revision; Kubernetes
    // ignores the limit at resourceVersion "0", and so does this.
    (params.limit === 0 || wanted === 0) &&
    wanted <= cache.revision;
  if (!cacheable || !cache) {
    // Read from storage, but objects the cache holds at the same revision are taken from it.
    const shared = cache && ((key: string, rev: number) => cache.objectAt(key, rev));
    return listObjects(registry, namespace, params, shared);
  }
  try {
    const result = await cache.list({
      namespace: registry.kind.namespaced ? namespace : undefined,
      predicate: (obj) => selects(params, obj),
      resourceVersion: String(wanted),
    });
    return {
      kind: registry.kind.listKind,
      apiVersion: registry.kind.apiVersion,
      metadata: { resourceVersion: result.resourceVersion },
      items: [...result.items],
    };
  } catch (err) {
    throw fromCacheError(err);
  }
}

/**
 * A watch as the HTTP layer reads it: batches of events, each everything the source had ready
 * (see CacheWatch.batches), so a busy stream costs one write per batch rather than per event.
 */
export interface WatchBatches extends AsyncIterable<readonly WatchEvent<ApiObject | Status>[]> {
  /** The revision the stream starts after: what a bookmark reports before any event. */
  readonly startRevision: number;
  /** True when the source sends BOOKMARK events itself (the watch cache does). */
  readonly emitsBookmarks: boolean;
  /** Ends the stream; the iteration returns after the batch in flight. */
  stop(): void;
}

export async function watch(
  registry: Registry,
  namespace: string | undefined,
  params: ListParams,
): Promise<WatchBatches> {
  const cache = cacheFor(registry);
  const wanted = wantedRevision(params) ?? 0;
  // History older than the cache's ring may still be in storage (it is, until compaction):
  // storage answers those watches, or refuses them with 410 itself.
  const beforeRing = cache !== undefined && wanted > 0 && wanted < cache.stats().oldestRevision;
  // A revision the cache has not reached is still the cache's to serve when this server wrote
  // it: its event is already on the way, so the cache gets there in moments (the wait is
  // bounded; see WatchCache.watch). The common "create, then watch from the resourceVersion the
  // create returned" then needs no storage watch of its own.
  const ahead = cache !== undefined && wanted > cache.revision;
  const ownWrite = wanted <= registry.newestWriteRevision;
  if (!cache || (ahead && !ownWrite) || beforeRing || params.sendInitialEvents === false) {
    return inBatchesOfOne(await watchObjects(registry, namespace, params));
  }
  const abort = new AbortController();
  const cached = cache.watch({
    namespace: registry.kind.namespaced ? namespace : undefined,
    // No predicate when nothing is selected: the cache then hands every watcher the event's
    // record without calling anything per watcher.
    predicate: selectsEverything(params) ? undefined : (obj) => selects(params, obj),
    afterRevision: wanted === 0 ? undefined : wanted,
    allowBookmarks: params.allowWatchBookmarks,
    signal: abort.signal,
  });
  return {
    startRevision: wanted === 0 ? cache.revision : wanted,
    emitsBookmarks: true,
    stop: () => abort.abort(),
    // A plain iterator over the cache's batches, not an async generator: the fan-out to a
    // thousand watchers is the apiserver's hottest path, and each generator step is another
    // promise per watcher per batch.
    [Symbol.asyncIterator]() {
      const batches = cached.batches()[Symbol.asyncIterator]();
      let failed = false;
      const done = (): IteratorResult<readonly WatchEvent<ApiObject | Status>[]> => {
        cached.stop();
        return { done: true, value: undefined };
      };
      return {
        next: () => {
          if (failed) return Promise.resolve(done());
          return batches.next().then(
            (result) => {
              if (result.done) return done();
              // A cache record is a WatchEvent whose object is the API object (or a bookmark's).
              return { done: false, value: result.value as readonly WatchEvent<ApiObject>[] };
            },
            (err: unknown) => {
              // The stream has started, so a cache error (Gone, too slow, stopped) is told as
              // its last event, an ERROR carrying the Status.
              failed = true;
              cached.stop();
              return { done: false, value: [{ type: 'ERROR', object: cacheErrorStatus(err) }] };
            },
          );
        },
        return: () => Promise.resolve(done()),
      };
    },
  };
}

function selectsEverything(params: ListParams): boolean {
  return params.labelSelector.isEverything() && params.fieldSelector.selector.isEverything();
}

function cacheErrorStatus(err: unknown): Status {
  const apiError = fromCacheError(err);
  return apiError instanceof ApiError ? apiError.status : apiErrors.internal(String(err)).status;
}

/** A storage-backed watch, read one event at a time, as batches of one. */
function inBatchesOfOne(stream: WatchStream): WatchBatches {
  return {
    startRevision: stream.startRevision,
    emitsBookmarks: stream.emitsBookmarks,
    stop: () => stream.stop(),
    [Symbol.asyncIterator]() {
      const events = stream[Symbol.asyncIterator]();
      return {
        next: () =>
          events
            .next()
            .then((result) =>
              result.done
                ? { done: true, value: undefined }
                : { done: false, value: [result.value] },
            ),
        return: async () => {
          await events.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
