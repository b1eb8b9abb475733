// WAL segment files on disk: naming, creation and replay. The log is a sequence of segments
// `wal-<16-digit sequence>.log`; each starts with an 8-byte magic and then holds framed records
// (record-codec.ts). Only the newest segment is ever appended to, so only its tail can be torn
// by a crash; damage anywhere else is corruption and opening fails rather than lose acknowledged
// writes silently.
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scanFrames } from './record-codec.js';
import { decodeWalRecord, type WalRecord } from './wal-record.js';
import { fsyncDir, writeFully } from './fs-durability.js';

export const SEGMENT_MAGIC = Buffer.from('SKIFFWL1', 'ascii');
const SEGMENT_NAME = /^wal-(\d{16})\.log$/;

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `wal-${String(seq).padStart(16, '0')}.log`);
}

export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((n) => SEGMENT_NAME.exec(n)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Creates segment `seq` with its magic, durably (file data and directory entry). */
export async function createSegment(dir: string, seq: number): Promise<void> {
  const handle = await open(segmentPath(dir, seq), 'wx');
  try {
    await writeFully(handle, SEGMENT_MAGIC, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(dir);
}

export async function removeSegments(dir: string, seqs: readonly number[]): Promise<void> {
  for (const seq of seqs) await rm(segmentPath(dir, seq));
  if (seqs.length > 0) await fsyncDir(dir);
}

export interface ReplayedSegment {
  readonly seq: number;
  /** File size after replay (after any torn tail was cut off). */
  readonly bytes: number;
  readonly records: number;
  /** Highest write revision in the segment; 0 if it holds none. */
  readonly lastRevision: number;
}

/**
 * Feeds every record of every segment, oldest first, to `apply`. A torn or corrupt tail of the
 * newest segment is cut off (with a warning): it can only be a batch whose fsync never finished,
 * so none of its writes was acknowledged.
 */
export async function replaySegments(
  dir: string,
  seqs: readonly number[],
  apply: (record: WalRecord) => void,
  warn: (message: string) => void,
): Promise<ReplayedSegment[]> {
  const out: ReplayedSegment[] = [];
  for (const [i, seq] of seqs.entries()) {
    const isNewest = i === seqs.length - 1;
    const path = segmentPath(dir, seq);
    const buf = await readFile(path);
    if (buf.length < SEGMENT_MAGIC.length || !buf.subarray(0, 8).equals(SEGMENT_MAGIC)) {
      if (isNewest && SEGMENT_MAGIC.subarray(0, buf.length).equals(buf)) {
        // Crashed while creating the segment, before anything could be written to it.
        await rewriteEmptySegment(path);
        out.push({ seq, bytes: SEGMENT_MAGIC.length, records: 0, lastRevision: 0 });
        continue;
      }
      throw new Error(`${path} is not a skiff WAL segment (bad magic)`);
    }
    let records = 0;
    let lastRevision = 0;
    const scan = scanFrames(buf, SEGMENT_MAGIC.length, (payload, offset) => {
      let record: WalRecord;
      try {
        record = decodeWalRecord(payload);
      } catch (err) {
        throw new Error(`${path}: undecodable record at offset ${offset}`, { cause: err });
      }
      apply(record);
      records++;
      if (record.type !== 'compact') lastRevision = record.revision;
    });
    if (scan.problem !== undefined) {
      if (!isNewest) {
        throw new Error(`${path} is corrupt (${scan.problem}) but is not the newest segment`);
      }
      warn(
        `embedded store: ${path}: ${scan.problem}; dropping ${buf.length - scan.goodEnd} bytes ` +
          `of unacknowledged writes after offset ${scan.goodEnd}`,
      );
      await truncateDurably(path, scan.goodEnd);
    }
    out.push({ seq, bytes: scan.goodEnd, records, lastRevision });
  }
  return out;
}

async function truncateDurably(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function rewriteEmptySegment(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(0);
    await writeFully(handle, SEGMENT_MAGIC, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
