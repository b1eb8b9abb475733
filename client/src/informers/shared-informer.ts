// SharedIndexInformer, as client-go names it: one reflector (one list + one watch) feeding one
// indexed cache, and any number of handlers told about every change. "Shared" because every
// consumer of a resource in a process should use the same one (a SharedInformerFactory hands it
// out): the apiserver then serves one watch per resource per process, not one per controller.
//
// On each change from the reflector the informer first updates the cache, then notifies the
// handlers, so a handler that looks the object up in the lister finds it (or finds it gone).
//
// client-go puts a DeltaFIFO between the reflector and the cache, because there the reflector
// and the processing run on different goroutines. JavaScript runs one thing at a time, so the
// reflector applies each change to the cache directly; each handler still has its own queue
// (./processor-listener.ts), which is what keeps handlers apart.
import { deepFreeze, realClock, type Clock } from '@skiff/api';
import type { KubeObject } from '../rest/index.js';
import type { BackoffOptions } from './backoff.js';
import type {
  EventHandlerRegistration,
  Notification,
  ResourceEventHandler,
} from './event-handler.js';
import { Indexer, type Indexers } from './indexer.js';
import { keyFor } from './keys.js';
import { Lister } from './lister.js';
import type { ListerWatcher } from './list-watch.js';
import { ProcessorListener } from './processor-listener.js';
import { Reflector, type ReflectorStore } from './reflector.js';

export interface SharedIndexInformerOptions<T> {
  /** Names the informer in log lines, e.g. `pods`. */
  readonly name: string;
  readonly indexers?: Indexers<T>;
  /** Re-deliver every cached object as an update this often; 0 or omitted: never. */
  readonly resyncPeriodMs?: number;
  readonly clock?: Clock;
  readonly backoff?: BackoffOptions;
  readonly watchTimeoutSeconds?: () => number;
  readonly log?: (message: string) => void;
  /**
   * Applied to every object from the apiserver before it is cached and handed to handlers
   * (client-go's SetTransform), e.g. stripManagedFields: what no handler reads then costs no
   * memory for as long as it is cached, and no freezing. It gets the decoded object, which
   * nothing else holds, and may change it in place.
   */
  readonly transform?: (obj: T) => T;
}

export class SharedIndexInformer<T extends KubeObject> {
  /** The cache. Read it (get, list, byIndex); only the informer writes it. */
  readonly indexer: Indexer<T>;
  private readonly listeners = new Set<ProcessorListener<T>>();
  private readonly reflector: Reflector<T>;
  private readonly log: (message: string) => void;
  private synced = false;
  private readonly syncWaiters = new Set<() => void>();
  private running: Promise<void> | undefined;

  constructor(
    listerWatcher: ListerWatcher<T>,
    readonly options: SharedIndexInformerOptions<T>,
  ) {
    this.indexer = new Indexer<T>(options.indexers);
    this.log = options.log ?? ((message) => process.stderr.write(`informer: ${message}\n`));
    this.reflector = new Reflector(listerWatcher, this.reflectorStore(), {
      name: options.name,
      clock: options.clock ?? realClock,
      resyncPeriodMs: options.resyncPeriodMs,
      backoff: options.backoff,
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      log: this.log,
    });
  }

  /**
   * Registers a handler. Registered after the first list, it first gets an add for every object
   * already cached (isInInitialList true), then the changes that follow.
   */
  addEventHandler(handler: ResourceEventHandler<T>): EventHandlerRegistration {
    const listener = new ProcessorListener<T>(handler, (l) => this.listeners.delete(l), this.log);
    this.listeners.add(listener);
    if (this.synced) {
      for (const obj of this.indexer.list()) {
        listener.push({ type: 'add', obj, isInInitialList: true });
      }
      listener.push({ type: 'synced' });
    }
    return listener;
  }

  /** Adds indexes (filing what is already cached). */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /** True once the first list is in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, or false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (synced: boolean): void => {
        this.syncWaiters.delete(onSynced);
        signal.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      const onSynced = (): void => done(true);
      const onAbort = (): void => done(false);
      this.syncWaiters.add(onSynced);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Typed, read-only views of the cache. */
  lister(): Lister<T> {
    return new Lister(this.indexer);
  }

  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  /** True once run() has been called. */
  isStarted(): boolean {
    return this.running !== undefined;
  }

  /**
   * Lists, watches and notifies until `signal` aborts; resolves then. An informer runs once:
   * calling run() again returns the same promise.
   */
  run(signal: AbortSignal): Promise<void> {
    this.running ??= this.reflector.run(signal);
    return this.running;
  }

  private notify(notification: Notification<T>): void {
    for (const listener of this.listeners) listener.push(notification);
  }

  /** How the reflector's reads become cache writes and notifications. */
  private reflectorStore(): ReflectorStore<T> {
    const transform = this.options.transform ?? ((obj: T): T => obj);
    const upsert = (obj: T): void => {
      const frozen = deepFreeze(transform(obj));
      const old = this.indexer.set(frozen);
      this.notify(
        old
          ? { type: 'update', oldObj: old, newObj: frozen }
          : { type: 'add', obj: frozen, isInInitialList: false },
      );
    };
    return {
      add: upsert,
      update: upsert,
      delete: (obj) => {
        const old = this.indexer.delete(keyFor(obj));
        // Deleting what we never had (it was created and deleted within our relist): nothing to say.
        if (!old) return;
        this.notify({ type: 'delete', obj: deepFreeze(transform(obj)), finalStateUnknown: false });
      },
      replace: (items) => {
        const initial = !this.synced;
        const changes = this.indexer.replace(items.map((obj) => deepFreeze(transform(obj))));
        for (const obj of changes.added) {
          this.notify({ type: 'add', obj, isInInitialList: initial });
        }
        for (const change of changes.updated) {
          this.notify({ type: 'update', oldObj: change.old, newObj: change.new });
        }
        for (const obj of changes.deleted) {
          this.notify({ type: 'delete', obj, finalStateUnknown: true });
        }
        if (initial) this.markSynced();
      },
      resync: () => {
        for (const obj of this.indexer.list()) {
          this.notify({ type: 'update', oldObj: obj, newObj: obj });
        }
      },
    };
  }

  private markSynced(): void {
    this.synced = true;
    this.notify({ type: 'synced' });
    for (const resolve of [...this.syncWaiters]) resolve();
  }
}
