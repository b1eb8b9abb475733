// The Reflector keeps a store in step with the server, as client-go's does:
//
//   list (page by page) → store.replace(items)        the whole state at resourceVersion R
//   watch from R → store.add/update/delete per event   every change after R, in order
//
// and when the watch ends it picks the cheapest way back that loses nothing:
//
// - the stream closed normally (the server's timeoutSeconds) or the connection broke:
//   watch again from the last resourceVersion seen. Bookmarks move that version forward even
//   when nothing we watch changes, so the resumed watch starts from recent history.
// - the server says 410 Gone (refusing the watch, or as an ERROR event): the history after our
//   version is compacted, so events were lost. List again; replace() works out what was deleted.
// - anything else (a 500, a 403): wait, then list again from scratch.
//
// Failures wait out a jittered exponential backoff on the injected Clock, so a broken apiserver
// is not hammered, and tests drive the waits with a FakeClock.
import { realClock, sleepUnlessAborted, type Clock, type Timer } from '@skiff/api';
import {
  ApiError,
  ConnectionError,
  isGone,
  RequestTimeoutError,
  type KubeObject,
  type Watch,
} from '../rest/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { ListerWatcher } from './list-watch.js';

/** Where a reflector delivers what it reads (the informer implements it). */
export interface ReflectorStore<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  /** The complete state after a list: whatever the store has that is not in `items` was deleted. */
  replace(items: T[], resourceVersion: string): void;
  /** Re-deliver every cached object as an update (the periodic resync). */
  resync(): void;
}

export interface ReflectorOptions {
  /** Names the reflector in log lines: the resource, e.g. `pods`. */
  readonly name: string;
  readonly clock?: Clock;
  /** How often to resync (re-deliver every object); 0 or omitted: never. */
  readonly resyncPeriodMs?: number;
  readonly backoff?: BackoffOptions;
  /** The timeoutSeconds of each watch; default a random 5–10 minutes, as client-go. */
  readonly watchTimeoutSeconds?: () => number;
  /** Where failures are reported (they are retried, never thrown). Default: stderr. */
  readonly log?: (message: string) => void;
}

/** A watch that ends this soon without a single event is a failure, not a timeout. */
const SHORT_WATCH_MS = 1000;
const MIN_WATCH_TIMEOUT_SECONDS = 300;

type WatchOutcome = 'rewatch' | 'relist';

export class Reflector<T extends KubeObject> {
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly log: (message: string) => void;
  private readonly watchTimeoutSeconds: () => number;
  private lastSyncRV = '';
  /** Set by a 410: our version is compacted, so the next list must not ask for it. */
  private lastSyncRVUnavailable = false;
  private listed = false;

  constructor(
    private readonly listerWatcher: ListerWatcher<T>,
    private readonly store: ReflectorStore<T>,
    private readonly options: ReflectorOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.backoff = new Backoff(options.backoff ?? {}, this.clock);
    this.log = options.log ?? ((message) => process.stderr.write(`reflector: ${message}\n`));
    this.watchTimeoutSeconds =
      options.watchTimeoutSeconds ??
      (() => Math.floor(MIN_WATCH_TIMEOUT_SECONDS * (1 + Math.random())));
  }

  /** The resourceVersion of the last list, event or bookmark applied to the store. */
  lastSyncResourceVersion(): string {
    return this.lastSyncRV;
  }

  /** Lists and watches until `signal` aborts; failures are logged and retried, never thrown. */
  async run(signal: AbortSignal): Promise<void> {
    const stopResync = this.startResync(signal);
    try {
      while (!signal.aborted) {
        try {
          await this.listAndWatch(signal);
        } catch (err) {
          if (signal.aborted) break;
          // A list at our version can itself be refused as compacted: then ask for the latest.
          if (isGone(err)) this.lastSyncRVUnavailable = true;
          await this.backOff(`${describe(err)}; listing again`, signal);
        }
      }
    } finally {
      stopResync();
    }
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    const list = await this.listerWatcher.listAll({
      resourceVersion: this.relistResourceVersion(),
      signal,
    });
    if (signal.aborted) return;
    const resourceVersion = list.metadata.resourceVersion ?? '';
    this.store.replace(list.items, resourceVersion);
    this.lastSyncRV = resourceVersion;
    this.lastSyncRVUnavailable = false;
    this.listed = true;
    this.backoff.reset();

    while (!signal.aborted) {
      if ((await this.watchOnce(signal)) === 'relist') return;
    }
  }

  /**
   * client-go's rule: the first list may come from the apiserver's cache ("0": any version is
   * fine, the watch catches up); later lists ask for at least what we had seen; after a 410
   * that version is gone, so ask for the latest ("").
   */
  private relistResourceVersion(): string {
    if (this.lastSyncRVUnavailable) return '';
    return this.lastSyncRV || '0';
  }

  /** One watch from lastSyncRV, to its end. Says whether to watch again or to relist. */
  private async watchOnce(signal: AbortSignal): Promise<WatchOutcome> {
    let watch: Watch<T>;
    try {
      watch = await this.listerWatcher.watch({
        resourceVersion: this.lastSyncRV,
        allowWatchBookmarks: true,
        timeoutSeconds: this.watchTimeoutSeconds(),
        signal,
      });
    } catch (err) {
      if (isGone(err)) return this.relistAfterGone(err);
      if (!isTransient(err)) throw err;
      await this.backOff(`${describe(err)}; watching again`, signal);
      return 'rewatch';
    }

    const startedAt = this.clock.now();
    let events = 0;
    try {
      for await (const event of watch) {
        events++;
        if (event.type === 'ERROR') {
          if (isGone(event.object)) return this.relistAfterGone(event.object);
          throw new ApiError({ ...event.object, code: event.object.code ?? 500 });
        }
        const object = event.object;
        switch (event.type) {
          case 'ADDED':
            this.store.add(object);
            break;
          case 'MODIFIED':
            this.store.update(object);
            break;
          case 'DELETED':
            this.store.delete(object);
            break;
          case 'BOOKMARK':
            break;
        }
        this.lastSyncRV = object.metadata?.resourceVersion ?? this.lastSyncRV;
        this.backoff.reset();
      }
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      await this.backOff(`${describe(err)}; watching again from ${this.lastSyncRV}`, signal);
      return 'rewatch';
    } finally {
      watch.stop();
    }
    // A server that closes every watch at once would otherwise have us spin.
    if (events === 0 && this.clock.now() - startedAt < SHORT_WATCH_MS && !signal.aborted) {
      await this.backOff('the watch closed at once without any event', signal);
    }
    return 'rewatch';
  }

  private relistAfterGone(reason: unknown): WatchOutcome {
    this.log(`${this.options.name}: ${describe(reason)}; relisting`);
    this.lastSyncRVUnavailable = true;
    return 'relist';
  }

  private async backOff(why: string, signal: AbortSignal): Promise<void> {
    const delayMs = this.backoff.next();
    this.log(`${this.options.name}: ${why} in ${delayMs} ms`);
    // An abort ends the sleep early, and then run()'s loop ends too.
    await sleepUnlessAborted(this.clock, delayMs, signal);
  }

  /**
   * Every resyncPeriodMs, once the first list is in, re-deliver the whole cache as updates: a
   * controller whose handler dropped an event (or whose outside world drifted) gets another
   * look at every object. Returns how to stop it.
   */
  private startResync(signal: AbortSignal): () => void {
    const period = this.options.resyncPeriodMs ?? 0;
    if (period <= 0) return () => undefined;
    let timer: Timer | undefined;
    const tick = (): void => {
      if (signal.aborted) return;
      if (this.listed) this.store.resync();
      timer = this.clock.setTimer(period, tick);
    };
    timer = this.clock.setTimer(period, tick);
    return () => timer?.cancel();
  }
}

/** The server could not be reached or did not answer in time: try the same watch again. */
function isTransient(err: unknown): boolean {
  return err instanceof ConnectionError || err instanceof RequestTimeoutError;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  const status = err as { message?: unknown } | null;
  if (typeof status?.message === 'string') return status.message;
  return String(err);
}
