// What an informer tells the code that registered with it. Handlers should be quick — the usual
// body is "compute a key, put it on a workqueue" — because the real work belongs in a worker that
// reads the cache, not in the notification. A handler may still be async (the kubelet's and the
// prober's often are): its promise is awaited before that handler's next notification, so its
// order holds, and a rejection is reported like a throw instead of escaping as an unhandled
// rejection.

/** What a handler returns: nothing, or a promise the informer awaits and whose failure it logs. */
export type HandlerResult = void | Promise<void>;

export interface ResourceEventHandler<T> {
  /**
   * A new object; `isInInitialList` is true for what the first list found (and for the synthetic
   * adds a handler registered late receives for everything already cached).
   */
  onAdd?(obj: Readonly<T>, isInInitialList: boolean): HandlerResult;
  /** A change; also the periodic resync, where `oldObj` and `newObj` are the same object. */
  onUpdate?(oldObj: Readonly<T>, newObj: Readonly<T>): HandlerResult;
  /** A deletion, with the last state this informer knew of the object. */
  onDelete?(obj: Readonly<T>, info: DeleteInfo): HandlerResult;
}

export interface DeleteInfo {
  /**
   * True when the deletion was not watched but inferred: a relist (after 410 Gone) no longer
   * found the object. `obj` is then the last state seen before the gap, not the final one (what
   * client-go wraps in a DeletedFinalStateUnknown tombstone; here the object is given directly).
   */
  readonly finalStateUnknown: boolean;
}

/** One entry in a handler's queue of notifications. */
export type Notification<T> =
  | { readonly type: 'add'; readonly obj: Readonly<T>; readonly isInInitialList: boolean }
  | { readonly type: 'update'; readonly oldObj: Readonly<T>; readonly newObj: Readonly<T> }
  | { readonly type: 'delete'; readonly obj: Readonly<T>; readonly finalStateUnknown: boolean }
  /** Everything in the initial list has been delivered before this: the handler has synced. */
  | { readonly type: 'synced' };

/** Returned by addEventHandler: whether that handler has seen the initial list, and removal. */
export interface EventHandlerRegistration {
  hasSynced(): boolean;
  remove(): void;
}
