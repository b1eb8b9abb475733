// The embedded store: the single-machine default behind `skiff up`. An in-memory MVCC key space
// (mvcc.ts) made durable by a write-ahead log with group commit (wal.ts), snapshots that let the
// log be truncated (snapshot.ts), periodic compaction (compactor.ts) and watches served from the
// in-memory event history (watch-hub.ts).
//
// Two revisions matter. `head` is the newest revision handed out: writes are validated against
// the newest state (so of two concurrent creates of one key exactly one wins) and get their
// revision immediately. `committed` is the newest revision whose WAL batch has been fsynced:
// reads, watches and acknowledgements only ever reach up to it, so nobody observes a write that a
// crash could still take back. An error that depends on a not-yet-durable write (KeyExists,
// Conflict, NotFound after a pending delete) is held back until that write is durable, for the
// same reason.
import { mkdir } from 'node:fs/promises';
import { realClock, type Clock } from '@skiff/api';
import {
  MAX_VALUE_BYTES,
  type DeleteOptions,
  type GetOptions,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  type Watch,
  type WatchOptions,
} from '../interface.js';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError,
  StorageError,
  TooLargeError,
  UnavailableError,
} from '../errors.js';
import { assertValidKey } from '../keys.js';
import { PeriodicCompactor } from './compactor.js';
import { lockDir, type DirLock } from './dir-lock.js';
import type { KeySpace } from './key-space.js';
import { recover } from './recovery.js';
import { writeSnapshot } from './snapshot.js';
import { encodeWalRecord } from './wal-record.js';
import { WriteAheadLog, type WalStats } from './wal.js';
import { failedWatch, WatchHub } from './watch-hub.js';

export interface EmbeddedStorageOptions {
  /** Directory holding the log, the snapshot and the lock file; created if missing. */
  readonly dir: string;
  /** Drives periodic compaction. Default: the real clock. */
  readonly clock?: Clock;
  /** Compact every this many ms to the previous tick's revision; 0 disables. Default 5 minutes. */
  readonly compactionIntervalMs?: number;
  /** Snapshot and truncate the log after this many records. Default 100 000. */
  readonly snapshotEveryRecords?: number;
  /** …or after this many bytes of log. Default 64 MiB. */
  readonly snapshotEveryBytes?: number;
  /** Where recoverable trouble is reported (a torn log tail, a failed snapshot). Default console.warn. */
  readonly warn?: (message: string) => void;
}

export interface EmbeddedStorageStats extends WalStats {
  readonly currentRevision: number;
  readonly compactedRevision: number;
  /** Revision of the newest durable snapshot (0 if none yet). */
  readonly snapshotRevision: number;
  readonly snapshots: number;
  readonly keys: number;
  readonly versions: number;
  readonly watchEvents: number;
  readonly watchers: number;
}

export interface EmbeddedStorage extends Storage {
  stats(): EmbeddedStorageStats;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;
const DEFAULT_SNAPSHOT_EVERY_RECORDS = 100_000;
const DEFAULT_SNAPSHOT_EVERY_BYTES = 64 * 1024 * 1024;

export async function openEmbeddedStorage(
  options: EmbeddedStorageOptions,
): Promise<EmbeddedStorage> {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  await mkdir(options.dir, { recursive: true });
  const lock = await lockDir(options.dir);
  try {
    const recovered = await recover(options.dir, warn);
    const store = new EmbeddedStore(recovered.space, lock, {
      revision: recovered.revision,
      compactedRevision: recovered.compactedRevision,
      snapshotRevision: recovered.snapshotRevision,
    });
    const newest = recovered.segments[recovered.segments.length - 1];
    if (!newest) throw new Error('recovery left no WAL segment');
    const wal = await WriteAheadLog.open({
      dir: options.dir,
      seq: newest.seq,
      size: newest.bytes,
      sealed: recovered.segments.slice(0, -1).map((s) => s.seq),
      recordsSinceSnapshot: recovered.segments.reduce((n, s) => n + s.records, 0),
      bytesSinceSnapshot: recovered.segments.reduce((n, s) => n + s.bytes, 0),
      rotateEveryRecords: options.snapshotEveryRecords ?? DEFAULT_SNAPSHOT_EVERY_RECORDS,
      rotateEveryBytes: options.snapshotEveryBytes ?? DEFAULT_SNAPSHOT_EVERY_BYTES,
      durableRevision: recovered.revision,
      onDurable: (revision) => store.onDurable(revision),
      onSealed: (revision) => store.snapshotAt(options.dir, revision, warn),
      onFailure: (error) => store.onWalFailure(error),
      warn,
    });
    const intervalMs = options.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
    const compactor =
      intervalMs > 0
        ? new PeriodicCompactor(options.clock ?? realClock, intervalMs, store, warn)
        : undefined;
    store.start(wal, compactor);
    return store;
  } catch (err) {
    await lock.release();
    throw err;
  }
}

interface DurableWaiter {
  readonly revision: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

class EmbeddedStore implements EmbeddedStorage {
  private head: number;
  private committed: number;
  private compacted: number;
  private snapshotRevision: number;
  private snapshots = 0;
  private wal: WriteAheadLog | undefined;
  private compactor: PeriodicCompactor | undefined;
  private readonly hub: WatchHub;
  private waiters: DurableWaiter[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly space: KeySpace,
    private readonly lock: DirLock,
    revisions: { revision: number; compactedRevision: number; snapshotRevision: number },
  ) {
    this.head = revisions.revision;
    this.committed = revisions.revision;
    this.compacted = revisions.compactedRevision;
    this.snapshotRevision = revisions.snapshotRevision;
    this.hub = new WatchHub({
      log: space.events,
      committedRevision: () => this.committed,
      compactedRevision: () => this.compacted,
    });
  }

  start(wal: WriteAheadLog, compactor: PeriodicCompactor | undefined): void {
    this.wal = wal;
    this.compactor = compactor;
    compactor?.start();
  }

  async get(key: string, options?: GetOptions): Promise<KeyValue | undefined> {
    this.checkOpen();
    assertValidKey(key);
    return this.space.index.get(key, this.readRevision(options?.revision));
  }

  async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    assertValidPrefix(prefix);
    const revision = this.readRevision(options?.revision);
    const { items, more } = this.space.index.range(
      prefix,
      revision,
      options?.startAfter,
      options?.limit,
    );
    return { items, revision, more };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkWrite(key, value);
    if (this.space.index.latest(key)) {
      await this.durableBeforeReply(key);
      throw new KeyExistsError(key);
    }
    return this.put(key, value);
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    this.checkWrite(key, value);
    const current = this.space.index.latest(key);
    if (!current) {
      await this.durableBeforeReply(key);
      throw new NotFoundError(key);
    }
    if (current.modRevision !== expectedModRevision) {
      await this.durableBeforeReply(key);
      throw new ConflictError(key, expectedModRevision, current);
    }
    return this.put(key, value);
  }

  async delete(key: string, options?: DeleteOptions): Promise<KeyValue> {
    this.checkOpen();
    assertValidKey(key);
    const current = this.space.index.latest(key);
    if (!current) {
      await this.durableBeforeReply(key);
      throw new NotFoundError(key);
    }
    const expected = options?.expectedModRevision;
    if (expected !== undefined && current.modRevision !== expected) {
      await this.durableBeforeReply(key);
      throw new ConflictError(key, expected, current);
    }
    const revision = ++this.head;
    this.space.delete(key, revision);
    await this.log(encodeWalRecord({ type: 'delete', revision, key }), revision);
    return current;
  }

  watch(prefix: string, options?: WatchOptions): Watch {
    try {
      this.checkOpen();
      assertValidPrefix(prefix);
    } catch (err) {
      // Watch failures surface where watch events do: from the iteration.
      return failedWatch(err instanceof Error ? err : new Error(String(err)));
    }
    return this.hub.open(prefix, Math.max(0, options?.afterRevision ?? this.committed));
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision > this.committed) throw new FutureRevisionError(revision, this.committed);
    // etcd answers ErrCompacted here; the storage contract (conformance suite) makes it a no-op,
    // which is what every caller (Kubernetes' compactor included) wants anyway.
    if (revision <= this.compacted) return;
    this.compacted = revision;
    this.space.compact(revision);
    // Logged so a restart does not resurrect compacted history; it consumes no revision.
    await this.log(encodeWalRecord({ type: 'compact', revision }), 0);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.committed;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    this.compactor?.stop();
    // Writes already accepted were promised an answer: let the flusher finish them.
    await this.wal?.close();
    this.hub.failAll(new UnavailableError('embedded store is closed'));
    await this.lock.release();
  }

  stats(): EmbeddedStorageStats {
    const wal = this.wal?.stats() ?? { fsyncs: 0, records: 0, bytes: 0, rotations: 0, segments: 0 };
    return {
      ...wal,
      currentRevision: this.committed,
      compactedRevision: this.compacted,
      snapshotRevision: this.snapshotRevision,
      snapshots: this.snapshots,
      ...this.space.index.stats(),
      watchEvents: this.space.events.size(),
      watchers: this.hub.size(),
    };
  }

  /** From the WAL flusher: everything up to `revision` is on disk. */
  onDurable(revision: number): void {
    this.committed = revision;
    if (this.waiters.length > 0) {
      const due = this.waiters.filter((w) => w.revision <= revision);
      this.waiters = this.waiters.filter((w) => w.revision > revision);
      for (const w of due) w.resolve();
    }
    this.hub.notify();
  }

  onWalFailure(error: Error): void {
    this.failure = error;
    for (const w of this.waiters) w.reject(error);
    this.waiters = [];
    this.hub.failAll(error instanceof StorageError ? error : new UnavailableError(error.message));
  }

  /**
   * Called synchronously when the WAL seals its segments at `revision`: the state is captured
   * right now (a later compaction could otherwise remove versions the snapshot needs), then
   * written in the background while writes carry on.
   */
  snapshotAt(dir: string, revision: number, warn: (m: string) => void): Promise<boolean> {
    const content = {
      revision,
      entries: this.space.index.entriesAt(revision),
      boundary: revision > 0 ? this.space.events.at(revision) : undefined,
    };
    return writeSnapshot(dir, content).then(
      () => {
        this.snapshots++;
        this.snapshotRevision = revision;
        return true;
      },
      (err: unknown) => {
        warn(`embedded store: snapshot at revision ${revision} failed, log kept: ${String(err)}`);
        return false;
      },
    );
  }

  /** The revisions, synchronously, for the periodic compactor. */
  revisions(): { readonly committed: number; readonly compacted: number } {
    return { committed: this.committed, compacted: this.compacted };
  }

  private async put(key: string, value: Uint8Array): Promise<KeyValue> {
    // The caller may reuse its buffer after we return; the store must own what it keeps.
    const owned = new Uint8Array(value);
    const revision = ++this.head;
    const { kv } = this.space.put(key, owned, revision);
    await this.log(encodeWalRecord({ type: 'put', revision, key, value: owned }), revision);
    return kv;
  }

  private log(frame: Buffer, revision: number): Promise<void> {
    if (!this.wal) throw new UnavailableError('embedded store is not started');
    return this.wal.append(frame, revision);
  }

  /** Waits until the newest write to `key` is durable, so an error never reveals a pending write. */
  private async durableBeforeReply(key: string): Promise<void> {
    const revision = this.space.index.latestRevision(key);
    if (revision <= this.committed) return;
    await new Promise<void>((resolve, reject) => this.waiters.push({ revision, resolve, reject }));
  }

  private readRevision(requested: number | undefined): number {
    if (requested === undefined || requested <= 0) return this.committed;
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted);
    if (requested > this.committed) throw new FutureRevisionError(requested, this.committed);
    return requested;
  }

  private checkWrite(key: string, value: Uint8Array): void {
    this.checkOpen();
    assertValidKey(key);
    if (value.length > MAX_VALUE_BYTES) throw new TooLargeError(key, value.length, MAX_VALUE_BYTES);
  }

  private checkOpen(): void {
    if (this.failure) {
      throw this.failure instanceof StorageError
        ? this.failure
        : new UnavailableError('embedded store failed', { cause: this.failure });
    }
    if (this.closed) throw new UnavailableError('embedded store is closed');
  }
}

/** An empty prefix means every key; only a NUL is refused, as in keys. */
function assertValidPrefix(prefix: string): void {
  if (prefix.length > 0) assertValidKey(prefix);
}
