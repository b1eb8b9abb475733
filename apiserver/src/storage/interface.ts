// The storage contract: an etcd-shaped, revisioned key-value store.
//
// Every write bumps one global revision counter by exactly one, and that revision is what the
// Kubernetes API calls resourceVersion. Because the counter is global and strictly increasing,
// a client can say "everything after revision R" and mean the same thing on every key, which is
// what makes list-then-watch free of gaps. Both backends (embedded and etcd) implement this
// interface and pass the same conformance suite (./testing/conformance.ts).

/** One key's value at one revision, as etcd's mvccpb.KeyValue. */
export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  /** Revision of the write that created this key (since its last deletion). */
  readonly createRevision: number;
  /** Revision of the last write to this key: the object's resourceVersion. */
  readonly modRevision: number;
  /** Number of writes since creation; 1 on create. */
  readonly version: number;
}

export interface ListOptions {
  /** Read the state as of this revision. Omitted: the latest committed revision. */
  readonly revision?: number;
  /** At most this many items; `more` says whether the range had further keys. 0 or omitted: no limit. */
  readonly limit?: number;
  /** Start strictly after this key (pagination: pass the last key of the previous page). */
  readonly startAfter?: string;
}

export interface ListResult {
  readonly items: readonly KeyValue[];
  /** The revision the list was served at; pass it back as `revision` for the next page. */
  readonly revision: number;
  /** True when keys beyond `limit` remain in the range. */
  readonly more: boolean;
}

export interface GetOptions {
  readonly revision?: number;
}

export interface DeleteOptions {
  /** Delete only if the key's modRevision still equals this (compare-and-delete). */
  readonly expectedModRevision?: number;
}

export type WatchEventType = 'put' | 'delete';

export interface WatchEvent {
  readonly type: WatchEventType;
  /**
   * For `put`, the new value. For `delete`, a tombstone: the deleted key with an empty value,
   * modRevision = the revision of the deletion.
   */
  readonly kv: KeyValue;
  /** The value before this event; absent for a create. */
  readonly prevKv?: KeyValue;
}

export interface WatchOptions {
  /**
   * Deliver every event with revision > afterRevision, then live events. Omitted: from now.
   * If the events after afterRevision are compacted away (afterRevision < compactedRevision - 1)
   * the watch fails with CompactedError: the caller must relist.
   */
  readonly afterRevision?: number;
}

/**
 * A running watch. Events arrive in revision order, with no gaps and no duplicates, for every
 * key under the watched prefix. Iteration ends when the watch is cancelled; it throws a
 * StorageError when the watch can no longer guarantee that (compaction, backend closed, …).
 */
export interface Watch extends AsyncIterable<WatchEvent> {
  cancel(): void;
}

export interface Storage {
  /** The key's current value (or at `revision`); undefined if absent. */
  get(key: string, options?: GetOptions): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix`, in byte order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Create the key if absent; KeyExistsError otherwise. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /**
   * Replace the key's value if its modRevision still equals `expectedModRevision`:
   * ConflictError if it changed (carrying the current value), NotFoundError if absent.
   */
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue>;
  /** Delete the key; returns the deleted value. NotFoundError if absent, ConflictError on a precondition miss. */
  delete(key: string, options?: DeleteOptions): Promise<KeyValue>;
  watch(prefix: string, options?: WatchOptions): Watch;
  /**
   * Forget history before `revision`, as etcd's Compact: afterwards a read at a revision below it,
   * or a watch whose afterRevision is below `revision - 1`, fails with CompactedError. The state
   * at `revision` itself stays readable. Compacting at or below the last compaction is a no-op
   * (two compactors racing must not fail); a revision above the current one fails with
   * FutureRevisionError.
   */
  compact(revision: number): Promise<void>;
  /** The latest committed revision. */
  currentRevision(): Promise<number>;
  /** The revision of the last compaction (0 if never compacted): the oldest readable revision. */
  compactedRevision(): Promise<number>;
  /** Release the backend; idempotent. Later calls, and open watches, fail with UnavailableError. */
  close(): Promise<void>;
}

/** etcd's default request limit (--max-request-bytes = 1.5 MiB); both backends refuse larger values. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
