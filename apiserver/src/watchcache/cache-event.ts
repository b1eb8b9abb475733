// One change to one object, as the cache keeps it: in the event ring (for watchers resuming from
// a resourceVersion) and in the object store (the event that produced an object's current state
// doubles as its entry). What watchers receive are small frozen `{ type, object }` records that
// every watcher shares: a watcher never gets a copy, so 1,000 watchers cost 1,000 pointers, and
// the HTTP layer can memoise each record's serialisation (a WeakMap keyed by the record) instead
// of encoding the same object once per watcher.

export type ObjectEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ObjectWatchEvent<T> {
  readonly type: ObjectEventType;
  readonly object: T;
}

/**
 * A bookmark's object: only the resourceVersion (plus, as the caller shapes it through the
 * cache's `bookmarkOf` option, kind and apiVersion), as Kubernetes sends it.
 */
export interface BookmarkObject {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata: {
    readonly resourceVersion: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface BookmarkWatchEvent {
  readonly type: 'BOOKMARK';
  readonly object: BookmarkObject;
}

/** What a cache watch yields. Errors are thrown from the iteration (see ./errors.ts). */
export type CacheWatchEvent<T> = ObjectWatchEvent<T> | BookmarkWatchEvent;

export class CacheEvent<T> {
  private outEvent: ObjectWatchEvent<T> | undefined;
  private addedEvent: ObjectWatchEvent<T> | undefined;
  private leftEvent: ObjectWatchEvent<T> | undefined;

  constructor(
    readonly type: ObjectEventType,
    /** The storage key without the cache's prefix: `namespace/name` or `name`. */
    readonly key: string,
    /** Undefined for cluster-scoped objects. */
    readonly namespace: string | undefined,
    /** The storage revision of this change: the object's resourceVersion. */
    readonly revision: number,
    /** The new state; for DELETED the last state, carrying the deletion's resourceVersion. */
    readonly object: T,
    /** The state before this change (MODIFIED and DELETED only). */
    readonly prevObject: T | undefined,
  ) {}

  /** The event as it happened. */
  out(): ObjectWatchEvent<T> {
    this.outEvent ??= Object.freeze({ type: this.type, object: this.object });
    return this.outEvent;
  }

  /**
   * The object's state after this event, announced as ADDED: for the initial events of a watch
   * without a resourceVersion, and for an object that starts matching a watcher's selector.
   */
  asAdded(): ObjectWatchEvent<T> {
    if (this.type === 'ADDED') return this.out();
    this.addedEvent ??= Object.freeze({ type: 'ADDED', object: this.object });
    return this.addedEvent;
  }

  /** A modification that makes the object stop matching a selector: DELETED, with the new state. */
  asLeftSelection(): ObjectWatchEvent<T> {
    this.leftEvent ??= Object.freeze({ type: 'DELETED', object: this.object });
    return this.leftEvent;
  }
}
