// Rebuilding the in-memory store on open: load the snapshot (if any), then replay every WAL
// record newer than it. Records at or below the snapshot revision are skipped — they are in
// sealed segments whose deletion a crash interrupted — and such fully covered segments are
// removed. Write revisions must continue without a gap; anything else is corruption.
import type { WalRecord } from './wal-record.js';
import { KeySpace } from './key-space.js';
import { readSnapshot, removeSnapshotTemp } from './snapshot.js';
import {
  createSegment,
  listSegments,
  removeSegments,
  replaySegments,
  SEGMENT_MAGIC,
  type ReplayedSegment,
} from './wal-segments.js';

export interface RecoveredStore {
  readonly space: KeySpace;
  /** Newest write revision replayed: everything up to it is durable. */
  readonly revision: number;
  readonly compactedRevision: number;
  readonly snapshotRevision: number;
  /** Segments left on disk, oldest first; the last one is where appends continue. */
  readonly segments: readonly ReplayedSegment[];
}

export async function recover(dir: string, warn: (m: string) => void): Promise<RecoveredStore> {
  await removeSnapshotTemp(dir);
  const snapshot = await readSnapshot(dir);
  const snapshotRevision = snapshot?.revision ?? 0;
  // History before the snapshot is gone, so its revision is the oldest readable one.
  const space = new KeySpace(snapshot ? snapshotRevision : 1);
  if (snapshot) {
    for (const kv of snapshot.entries) space.index.restore(kv);
    if (snapshot.boundary) space.events.append(snapshot.boundary);
  }
  let revision = snapshotRevision;
  let compactedRevision = snapshotRevision;

  const apply = (record: WalRecord): void => {
    if (record.type === 'compact') {
      if (record.revision > compactedRevision && record.revision <= revision) {
        space.compact(record.revision);
        compactedRevision = record.revision;
      }
      return;
    }
    if (record.revision <= snapshotRevision) return;
    if (record.revision !== revision + 1) {
      throw new Error(`WAL skips from revision ${revision} to ${record.revision}: log is corrupt`);
    }
    if (record.type === 'put') {
      space.put(record.key, record.value, record.revision);
    } else {
      if (!space.index.latest(record.key)) {
        throw new Error(`WAL deletes absent key ${record.key} at revision ${record.revision}`);
      }
      space.delete(record.key, record.revision);
    }
    revision = record.revision;
  };

  const seqs = await listSegments(dir);
  let segments = await replaySegments(dir, seqs, apply, warn);
  const covered = segments
    .slice(0, -1)
    .filter((s) => snapshot !== undefined && s.lastRevision <= snapshotRevision);
  await removeSegments(
    dir,
    covered.map((s) => s.seq),
  );
  segments = segments.filter((s) => !covered.includes(s));
  if (segments.length === 0) {
    const seq = (seqs[seqs.length - 1] ?? 0) + 1;
    await createSegment(dir, seq);
    segments = [{ seq, bytes: SEGMENT_MAGIC.length, records: 0, lastRevision: 0 }];
  }
  return { space, revision, compactedRevision, snapshotRevision, segments };
}
