// The apiserver's watch cache: one storage watch per resource, fanned out to every list at
// resourceVersion "0" and every watch. See ./watch-cache.ts for the model.
export {
  WatchCache,
  DEFAULT_BOOKMARK_INTERVAL_MS,
  DEFAULT_CAPACITY,
  DEFAULT_LIST_PAGE_SIZE,
  DEFAULT_MAX_PENDING_PER_WATCHER,
  DEFAULT_WAIT_TIMEOUT_MS,
  type CacheGetResult,
  type CacheListOptions,
  type CacheListResult,
  type CacheWatchOptions,
  type WatchCacheOptions,
  type WatchCacheStats,
} from './watch-cache.js';
export type { CacheWatch } from './cache-watcher.js';
export type {
  BookmarkObject,
  BookmarkWatchEvent,
  CacheWatchEvent,
  ObjectEventType,
  ObjectWatchEvent,
} from './cache-event.js';
export type { WatchFilter } from './watch-filter.js';
export { parseResourceVersion } from './resource-version.js';
export {
  CacheGoneError,
  CacheNotReadyError,
  CacheStoppedError,
  InvalidResourceVersionError,
  TooLargeResourceVersionError,
  WatchCacheError,
  WatcherTooSlowError,
  type WatchCacheErrorReason,
} from './errors.js';
