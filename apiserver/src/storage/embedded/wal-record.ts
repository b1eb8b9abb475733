// What the write-ahead log records: one record per write (its revision, key and, for a put, the
// value) plus compactions. createRevision and version are not logged: replaying the writes in
// revision order recomputes them exactly, and a smaller record is a faster fsync.
//
// Payloads (framed by record-codec.ts):
//   put      u8 1 · u64 revision · string key · bytes value
//   delete   u8 2 · u64 revision · string key
//   compact  u8 3 · u64 revision   (compaction does not consume a revision; this is its target)
import { PayloadReader, PayloadWriter } from './record-codec.js';

export type WalRecord =
  | {
      readonly type: 'put';
      readonly revision: number;
      readonly key: string;
      readonly value: Uint8Array;
    }
  | { readonly type: 'delete'; readonly revision: number; readonly key: string }
  | { readonly type: 'compact'; readonly revision: number };

const PUT = 1;
const DELETE = 2;
const COMPACT = 3;

/** The record framed and ready to append. */
export function encodeWalRecord(record: WalRecord): Buffer {
  switch (record.type) {
    case 'put':
      return new PayloadWriter(
        1 + 8 + PayloadWriter.stringBytes(record.key) + PayloadWriter.bytesBytes(record.value),
      )
        .u8(PUT)
        .u64(record.revision)
        .string(record.key)
        .bytes(record.value)
        .frame();
    case 'delete':
      return new PayloadWriter(1 + 8 + PayloadWriter.stringBytes(record.key))
        .u8(DELETE)
        .u64(record.revision)
        .string(record.key)
        .frame();
    case 'compact':
      return new PayloadWriter(1 + 8).u8(COMPACT).u64(record.revision).frame();
  }
}

export function decodeWalRecord(payload: Buffer): WalRecord {
  const r = new PayloadReader(payload);
  const type = r.u8();
  let record: WalRecord;
  switch (type) {
    case PUT:
      record = { type: 'put', revision: r.u64(), key: r.string(), value: r.bytes() };
      break;
    case DELETE:
      record = { type: 'delete', revision: r.u64(), key: r.string() };
      break;
    case COMPACT:
      record = { type: 'compact', revision: r.u64() };
      break;
    default:
      throw new Error(`unknown WAL record type ${type}`);
  }
  r.end();
  return record;
}
