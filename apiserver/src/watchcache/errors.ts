// What the watch cache fails with. Each error names the Kubernetes status the apiserver answers
// with (`code`, `reason`), so the HTTP layer maps them in one place without knowing the cache's
// internals. Watch errors are thrown from the watch's iteration; the apiserver renders them as a
// Status for a fresh request or as a WatchEvent of type ERROR on a stream that already started.

export type WatchCacheErrorReason =
  | 'Expired' // 410: the requested resourceVersion is older than the cache's history
  | 'WatcherTooSlow' // 410: the watcher did not keep up; the client re-watches
  | 'Timeout' // 504: "Too large resource version", the cache did not get that fresh in time
  | 'TooManyRequests' // 429: the cache is (re)initializing
  | 'BadRequest' // 400: a resourceVersion that is not a number
  | 'ServiceUnavailable'; // 503: the cache was stopped

export abstract class WatchCacheError extends Error {
  abstract readonly reason: WatchCacheErrorReason;
  abstract readonly code: 400 | 410 | 429 | 503 | 504;
}

/** The client asked for history the cache no longer has (or may have missed): relist. */
export class CacheGoneError extends WatchCacheError {
  readonly reason = 'Expired';
  readonly code = 410;

  constructor(
    /** The resourceVersion the client wanted to continue from. */
    readonly resourceVersion: number,
    /** The oldest resourceVersion the cache can continue from (a lower bound while relisting). */
    readonly oldestRevision: number,
    detail?: string,
  ) {
    // Kubernetes' own wording, which clients and people recognise.
    super(
      `too old resource version: ${resourceVersion} (${oldestRevision})` +
        (detail ? `: ${detail}` : ''),
    );
    this.name = 'CacheGoneError';
  }
}

/** The watcher let more than its share of events pile up and was cut off. */
export class WatcherTooSlowError extends WatchCacheError {
  readonly reason = 'WatcherTooSlow';
  readonly code = 410;

  constructor(readonly pending: number) {
    super(
      `watch channel full: the watcher fell ${pending} events behind and was closed; ` +
        're-watch from the last resourceVersion received',
    );
    this.name = 'WatcherTooSlowError';
  }
}

/** The cache did not reach the requested resourceVersion within the wait. */
export class TooLargeResourceVersionError extends WatchCacheError {
  readonly reason = 'Timeout';
  readonly code = 504;

  constructor(
    readonly resourceVersion: number,
    readonly currentRevision: number,
    readonly waitedMs: number,
  ) {
    super(
      `Too large resource version: ${resourceVersion}, current: ${currentRevision} ` +
        `(the watch cache did not catch up within ${waitedMs} ms)`,
    );
    this.name = 'TooLargeResourceVersionError';
  }
}

/** The cache has not finished its (re)list yet; Kubernetes answers 429 with Retry-After: 1. */
export class CacheNotReadyError extends WatchCacheError {
  readonly reason = 'TooManyRequests';
  readonly code = 429;

  constructor(
    readonly prefix: string,
    readonly waitedMs: number,
  ) {
    super(`storage is (re)initializing: the watch cache for ${prefix} is not ready yet`);
    this.name = 'CacheNotReadyError';
  }
}

export class InvalidResourceVersionError extends WatchCacheError {
  readonly reason = 'BadRequest';
  readonly code = 400;

  constructor(readonly value: string) {
    super(
      value === ''
        ? 'the watch cache cannot serve resourceVersion "" (most recent): ask storage for its ' +
            'current revision and pass that, or serve the request from storage'
        : `invalid resourceVersion ${JSON.stringify(value)}: expected a non-negative integer`,
    );
    this.name = 'InvalidResourceVersionError';
  }
}

export class CacheStoppedError extends WatchCacheError {
  readonly reason = 'ServiceUnavailable';
  readonly code = 503;

  constructor(readonly prefix: string) {
    super(`the watch cache for ${prefix} is stopped`);
    this.name = 'CacheStoppedError';
  }
}
