// Where lists and watches are served from. The watch cache (one storage watch per resource)
// serves what it can answer without waiting: lists at resourceVersion "0" (or an older one), and
// watches starting from its state or from a revision it has reached. Everything else goes to
// storage: consistent lists (""), pages (limit/continue), exact revisions — and watches from a
// revision the cache has not seen, because on an idle resource the cache cannot tell that nothing
// happened since (storage offers no progress notifications), so waiting for it would stall. The
// exception is a revision this server wrote itself: that event is certain to reach the cache.
import type { List, Status, WatchEvent } from '@skiff/api';
import { ApiError, apiErrors } from '../http/api-error.js';
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
  if (!cacheable || !cache) return listObjects(registry, namespace, params);
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

export async function watch(
  registry: Registry,
  namespace: string | undefined,
  params: ListParams,
): Promise<WatchStream> {
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
    return watchObjects(registry, namespace, params);
  }
  const abort = new AbortController();
  const cached = cache.watch({
    namespace: registry.kind.namespaced ? namespace : undefined,
    predicate: (obj) => selects(params, obj),
    afterRevision: wanted === 0 ? undefined : wanted,
    allowBookmarks: params.allowWatchBookmarks,
    signal: abort.signal,
  });
  return {
    startRevision: wanted === 0 ? cache.revision : wanted,
    emitsBookmarks: true,
    stop: () => abort.abort(),
    async *[Symbol.asyncIterator]() {
      try {
        for await (const event of cached) {
          yield event as WatchEvent<ApiObject | Status>;
        }
      } catch (err) {
        const apiError = fromCacheError(err);
        const status =
          apiError instanceof ApiError ? apiError.status : apiErrors.internal(String(err)).status;
        yield { type: 'ERROR', object: status };
      } finally {
        cached.stop();
      }
    },
  };
}
