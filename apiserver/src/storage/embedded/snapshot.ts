// The snapshot file: the whole committed key space at one revision, so the log before it can go.
// `snapshot.bin` = 8-byte magic, then framed records (record-codec.ts):
//
//   header    u8 10 · u64 revision · u64 entryCount
//   boundary  u8 13 · u8 type (1 put, 2 delete) · string key · u8 hasPrev · [prev kv]   (optional)
//   entry     u8 11 · kv                                                    (entryCount times)
//   end       u8 12 · u64 entryCount
//   kv        = string key · bytes value · u64 createRevision · u64 modRevision · u64 version
//
// Only state is kept, not history: after a restart the oldest readable revision is the snapshot's
// (compactedRevision = revision). The boundary record is the event of that revision itself, so a
// watch from revision - 1 — allowed at that compacted revision — still gets every event.
// The file is written under a temporary name, fsynced, renamed and the directory fsynced, so a
// crash leaves either the old snapshot or the new one, never a partial one; any damage found when
// reading is therefore real corruption and fails the open instead of being repaired.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyValue, WatchEvent } from '../interface.js';
import { PayloadReader, PayloadWriter, scanFrames } from './record-codec.js';
import { fsyncDir, writeFully } from './fs-durability.js';

export interface SnapshotContent {
  readonly revision: number;
  /** Every key visible at `revision`. */
  readonly entries: readonly KeyValue[];
  /** The event written at `revision`; undefined only for revision 0. */
  readonly boundary: WatchEvent | undefined;
}

export const SNAPSHOT_FILE = 'snapshot.bin';
const TEMP_FILE = 'snapshot.tmp';
const MAGIC = Buffer.from('SKIFFSN1', 'ascii');
const HEADER = 10;
const ENTRY = 11;
const END = 12;
const BOUNDARY = 13;
/** Write in chunks of about this size so the event loop (and writers) keep running meanwhile. */
const CHUNK_BYTES = 1024 * 1024;

export async function writeSnapshot(dir: string, content: SnapshotContent): Promise<void> {
  const temp = join(dir, TEMP_FILE);
  const handle = await open(temp, 'w');
  try {
    let position = 0;
    let chunk: Buffer[] = [MAGIC, encodeHeader(content)];
    let chunkBytes = MAGIC.length;
    if (content.boundary) chunk.push(encodeBoundary(content.boundary));
    for (const kv of content.entries) {
      const frame = new PayloadWriter(1 + kvBytes(kv)).u8(ENTRY);
      const encoded = writeKv(frame, kv).frame();
      chunk.push(encoded);
      chunkBytes += encoded.length;
      if (chunkBytes >= CHUNK_BYTES) {
        const data = Buffer.concat(chunk);
        await writeFully(handle, data, position);
        position += data.length;
        chunk = [];
        chunkBytes = 0;
      }
    }
    chunk.push(new PayloadWriter(1 + 8).u8(END).u64(content.entries.length).frame());
    await writeFully(handle, Buffer.concat(chunk), position);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, SNAPSHOT_FILE));
  await fsyncDir(dir);
}

/** A snapshot temp file left by a crash mid-write is garbage: the rename never happened. */
export async function removeSnapshotTemp(dir: string): Promise<void> {
  await rm(join(dir, TEMP_FILE), { force: true });
}

export async function readSnapshot(dir: string): Promise<SnapshotContent | undefined> {
  const path = join(dir, SNAPSHOT_FILE);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const corrupt = (why: string): Error => new Error(`${path} is corrupt: ${why}`);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt('bad magic');
  let header: { revision: number; entryCount: number } | undefined;
  let boundary: { type: 'put' | 'delete'; key: string; prevKv: KeyValue | undefined } | undefined;
  let endCount: number | undefined;
  const entries: KeyValue[] = [];
  const scan = scanFrames(buf, MAGIC.length, (payload, offset) => {
    const r = new PayloadReader(payload);
    const type = r.u8();
    if (endCount !== undefined) throw corrupt(`record after the end marker at offset ${offset}`);
    if (type === HEADER && !header) header = { revision: r.u64(), entryCount: r.u64() };
    else if (type === BOUNDARY && header && !boundary) {
      const eventType = r.u8() === 1 ? 'put' : 'delete';
      const key = r.string();
      boundary = { type: eventType, key, prevKv: r.u8() === 1 ? readKv(r) : undefined };
    } else if (type === ENTRY && header) entries.push(readKv(r));
    else if (type === END && header) endCount = r.u64();
    else throw corrupt(`unexpected record type ${type} at offset ${offset}`);
    r.end();
  });
  if (scan.problem !== undefined) throw corrupt(scan.problem);
  if (!header) throw corrupt('no header');
  if (endCount === undefined) throw corrupt('no end marker');
  if (endCount !== header.entryCount || entries.length !== endCount) {
    throw corrupt(`header says ${header.entryCount} entries, found ${entries.length}`);
  }
  return { revision: header.revision, entries, boundary: boundaryEvent(boundary, header, entries) };
}

function boundaryEvent(
  b: { type: 'put' | 'delete'; key: string; prevKv: KeyValue | undefined } | undefined,
  header: { revision: number },
  entries: readonly KeyValue[],
): WatchEvent | undefined {
  if (!b) return undefined;
  const prev = b.prevKv ? { prevKv: b.prevKv } : {};
  if (b.type === 'delete') {
    const kv = { key: b.key, value: new Uint8Array(0), createRevision: 0, version: 0 };
    return { type: 'delete', kv: { ...kv, modRevision: header.revision }, ...prev };
  }
  const kv = entries.find((e) => e.key === b.key && e.modRevision === header.revision);
  if (!kv) throw new Error(`snapshot boundary put of ${b.key} has no matching entry`);
  return { type: 'put', kv, ...prev };
}

function encodeHeader(content: SnapshotContent): Buffer {
  return new PayloadWriter(1 + 8 + 8)
    .u8(HEADER)
    .u64(content.revision)
    .u64(content.entries.length)
    .frame();
}

function encodeBoundary(event: WatchEvent): Buffer {
  const prev = event.prevKv;
  const w = new PayloadWriter(
    1 + 1 + PayloadWriter.stringBytes(event.kv.key) + 1 + (prev ? kvBytes(prev) : 0),
  )
    .u8(BOUNDARY)
    .u8(event.type === 'put' ? 1 : 2)
    .string(event.kv.key)
    .u8(prev ? 1 : 0);
  return (prev ? writeKv(w, prev) : w).frame();
}

function kvBytes(kv: KeyValue): number {
  return PayloadWriter.stringBytes(kv.key) + PayloadWriter.bytesBytes(kv.value) + 3 * 8;
}

function writeKv(w: PayloadWriter, kv: KeyValue): PayloadWriter {
  return w
    .string(kv.key)
    .bytes(kv.value)
    .u64(kv.createRevision)
    .u64(kv.modRevision)
    .u64(kv.version);
}

function readKv(r: PayloadReader): KeyValue {
  return {
    key: r.string(),
    value: r.bytes(),
    createRevision: r.u64(),
    modRevision: r.u64(),
    version: r.u64(),
  };
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}
