// The write-ahead log writer, with group commit. Writers hand over an already-encoded record and
// get a promise; a single flusher takes every record pending at that moment, writes them with one
// write() and one fdatasync(), and only then reports them durable. While that fsync runs, new
// records pile up for the next batch, so under load one fsync covers many writes — the reason
// the embedded store can outrun a networked store that fsyncs per raft entry.
//
// The flusher also rotates segments: after a configurable number of records or bytes it starts
// a new segment and asks the store (onSealed) for a snapshot of the state at the last durable
// revision. Once that snapshot is durable, the sealed segments hold nothing the snapshot lacks
// and are deleted — that is the log truncation.
import { open, type FileHandle } from 'node:fs/promises';
import { UnavailableError } from '../errors.js';
import { writeFully } from './fs-durability.js';
import { createSegment, removeSegments, SEGMENT_MAGIC, segmentPath } from './wal-segments.js';

export interface WalStats {
  /** fdatasync calls made for record batches: far fewer than records under concurrency. */
  readonly fsyncs: number;
  readonly records: number;
  readonly bytes: number;
  readonly rotations: number;
  /** Segments on disk, including the one being written. */
  readonly segments: number;
}

export interface WalOptions {
  readonly dir: string;
  /** The newest segment (append target), its size, and the older segments still on disk. */
  readonly seq: number;
  readonly size: number;
  readonly sealed: readonly number[];
  /** Records and bytes already in the log since the last snapshot (from replay). */
  readonly recordsSinceSnapshot: number;
  readonly bytesSinceSnapshot: number;
  readonly rotateEveryRecords: number;
  readonly rotateEveryBytes: number;
  /** Highest write revision already durable (from replay). */
  readonly durableRevision: number;
  /** Called with the new durable revision before the acknowledged writers resume. */
  readonly onDurable: (revision: number) => void;
  /**
   * Called synchronously when a segment is sealed: every write ≤ `revision` is in sealed
   * segments and none above. Resolves true once a snapshot at `revision` is durable.
   */
  readonly onSealed: (revision: number) => Promise<boolean>;
  /** The log cannot be written any more; the store must stop accepting writes. */
  readonly onFailure: (error: Error) => void;
  readonly warn: (message: string) => void;
}

interface PendingRecord {
  readonly frame: Buffer;
  /** The write's revision; 0 for records that do not consume one (compaction). */
  readonly revision: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class WriteAheadLog {
  private pending: PendingRecord[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private seq: number;
  private position: number;
  private sealed: number[];
  private recordsSinceSnapshot: number;
  private bytesSinceSnapshot: number;
  private durableRevision: number;
  private snapshotting: Promise<void> | undefined;
  private counters = { fsyncs: 0, records: 0, bytes: 0, rotations: 0 };

  private constructor(
    private handle: FileHandle,
    private readonly options: WalOptions,
  ) {
    this.seq = options.seq;
    this.position = options.size;
    this.sealed = [...options.sealed];
    this.recordsSinceSnapshot = options.recordsSinceSnapshot;
    this.bytesSinceSnapshot = options.bytesSinceSnapshot;
    this.durableRevision = options.durableRevision;
  }

  static async open(options: WalOptions): Promise<WriteAheadLog> {
    const handle = await open(segmentPath(options.dir, options.seq), 'r+');
    return new WriteAheadLog(handle, options);
  }

  /** Queues an encoded record; resolves once it is on disk (fdatasync returned). */
  append(frame: Buffer, revision: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new UnavailableError('embedded store is closed'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ frame, revision, resolve, reject });
      // Starting on the next macrotask, not right now, lets every write issued in the current
      // burst of callbacks join the first batch instead of the first write flushing alone.
      this.flushing ??= new Promise<void>((done) => setImmediate(done)).then(() => this.flush());
    });
  }

  stats(): WalStats {
    return { ...this.counters, segments: this.sealed.length + 1 };
  }

  /** Flushes what is queued, waits for a running snapshot, and closes the segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.snapshotting;
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.failure) {
        const batch = this.pending;
        this.pending = [];
        await this.writeBatch(batch);
        await this.maybeRotate();
      }
    } catch (err) {
      this.fail(new UnavailableError('embedded store: WAL flusher failed', { cause: err }));
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeBatch(batch: PendingRecord[]): Promise<void> {
    const data =
      batch.length === 1 && batch[0] ? batch[0].frame : Buffer.concat(batch.map((r) => r.frame));
    try {
      await writeFully(this.handle, data, this.position);
      await this.handle.datasync();
    } catch (err) {
      // After a failed write or fsync the page cache and the disk may disagree (see "fsyncgate"),
      // so retrying could acknowledge data that is not there. Fail-stop instead, like etcd.
      this.fail(
        new UnavailableError('embedded store: write-ahead log write failed', { cause: err }),
      );
      for (const r of batch) r.reject(this.failure ?? new Error('unreachable'));
      return;
    }
    this.position += data.length;
    this.counters.fsyncs++;
    this.counters.records += batch.length;
    this.counters.bytes += data.length;
    this.recordsSinceSnapshot += batch.length;
    this.bytesSinceSnapshot += data.length;
    let last = this.durableRevision;
    for (const r of batch) {
      if (r.revision > last) last = r.revision;
      r.resolve();
    }
    // Same synchronous block as the resolves: the acknowledged writers resume (as microtasks)
    // only after the committed revision has moved, so each sees its own write; watchers are
    // woken after the writers, acknowledgement first and publication second.
    if (last !== this.durableRevision) {
      this.durableRevision = last;
      this.options.onDurable(last);
    }
  }

  private fail(error: Error): void {
    this.failure = error;
    const queued = this.pending;
    this.pending = [];
    for (const r of queued) r.reject(error);
    this.options.onFailure(error);
  }

  private async maybeRotate(): Promise<void> {
    const { rotateEveryRecords, rotateEveryBytes } = this.options;
    const due =
      this.recordsSinceSnapshot >= rotateEveryRecords ||
      this.bytesSinceSnapshot >= rotateEveryBytes;
    if (!due || this.snapshotting || this.closed || this.failure) return;
    const next = this.seq + 1;
    try {
      await createSegment(this.options.dir, next);
      const handle = await open(segmentPath(this.options.dir, next), 'r+');
      await this.handle.close();
      this.handle = handle;
    } catch (err) {
      // Not fatal: the current segment still works. Try again after another full interval.
      this.options.warn(`embedded store: could not start WAL segment ${next}: ${String(err)}`);
      this.recordsSinceSnapshot = 0;
      this.bytesSinceSnapshot = 0;
      return;
    }
    this.sealed.push(this.seq);
    this.seq = next;
    this.position = SEGMENT_MAGIC.length;
    this.recordsSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    this.counters.rotations++;
    const covered = [...this.sealed];
    this.snapshotting = this.options
      .onSealed(this.durableRevision)
      .then((durable) => (durable ? this.dropSegments(covered) : undefined))
      .catch((err: unknown) => this.options.warn(`embedded store: snapshot failed: ${String(err)}`))
      .finally(() => (this.snapshotting = undefined));
  }

  private async dropSegments(seqs: readonly number[]): Promise<void> {
    try {
      await removeSegments(this.options.dir, seqs);
    } catch (err) {
      // Harmless: replay skips records the snapshot covers, and the next open removes them.
      this.options.warn(`embedded store: could not remove old WAL segments: ${String(err)}`);
    }
    this.sealed = this.sealed.filter((s) => !seqs.includes(s));
  }
}
