import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { FRAME_HEADER_BYTES, scanFrames } from './record-codec.js';
import { decodeWalRecord, encodeWalRecord, type WalRecord } from './wal-record.js';

const records: WalRecord[] = [
  { type: 'put', revision: 1, key: 'pods/default/a', value: new Uint8Array([1, 2, 3]) },
  { type: 'put', revision: 2, key: 'ключ/😀', value: new Uint8Array(0) },
  { type: 'delete', revision: 3, key: 'pods/default/a' },
  { type: 'compact', revision: 2 },
  { type: 'put', revision: 2 ** 40 + 5, key: 'big', value: new Uint8Array(70_000).fill(9) },
];

function decodeAll(buf: Buffer): { records: WalRecord[]; goodEnd: number; problem?: string } {
  const out: WalRecord[] = [];
  const scan = scanFrames(buf, 0, (payload) => out.push(decodeWalRecord(payload)));
  return { records: out, ...scan };
}

describe('WAL record codec', () => {
  it.each(records)('round-trips a $type record', (record) => {
    const { records: decoded, problem } = decodeAll(encodeWalRecord(record));
    expect(problem).toBeUndefined();
    expect(decoded).toEqual([record]);
  });

  it('reads back a sequence of records and reports the end of the last one', () => {
    const buf = Buffer.concat(records.map(encodeWalRecord));
    const scan = decodeAll(buf);
    expect(scan.records).toEqual(records);
    expect(scan.goodEnd).toBe(buf.length);
  });

  it('drops a torn last record cleanly at every byte offset, keeping all before it', () => {
    const intact = Buffer.concat(records.slice(0, 3).map(encodeWalRecord));
    const last = encodeWalRecord({ type: 'put', revision: 4, key: 'k', value: new Uint8Array(40) });
    for (let cut = 0; cut < last.length; cut++) {
      const torn = Buffer.concat([intact, last.subarray(0, cut)]);
      const scan = decodeAll(torn);
      expect(scan.records).toEqual(records.slice(0, 3));
      expect(scan.goodEnd).toBe(intact.length);
      expect(scan.problem === undefined).toBe(cut === 0);
    }
  });

  it('detects a flipped bit anywhere in the last record by its checksum or length', () => {
    const intact = encodeWalRecord(records[0] as WalRecord);
    const last = encodeWalRecord(records[2] as WalRecord);
    for (let i = 0; i < last.length; i++) {
      const damaged = Buffer.from(last);
      damaged[i] = (damaged[i] ?? 0) ^ 0x10;
      const scan = decodeAll(Buffer.concat([intact, damaged]));
      expect(scan.records).toEqual([records[0]]);
      expect(scan.goodEnd).toBe(intact.length);
      expect(scan.problem).toMatch(/checksum|length|past the end/);
    }
  });

  it('treats a zero-filled tail (allocated but never written) as torn', () => {
    const intact = encodeWalRecord(records[0] as WalRecord);
    const scan = decodeAll(Buffer.concat([intact, Buffer.alloc(64)]));
    expect(scan.records).toEqual([records[0]]);
    expect(scan.problem).toMatch(/invalid frame length 0/);
  });

  it('refuses a frame whose checksum matches but whose payload does not decode', () => {
    const bogus = encodeWalRecord({ type: 'compact', revision: 1 });
    bogus[FRAME_HEADER_BYTES] = 99; // unknown record type, then fix the CRC to match
    bogus.writeUInt32LE(crc32(bogus.subarray(FRAME_HEADER_BYTES)), 4);
    expect(() => decodeAll(bogus)).toThrow(/unknown WAL record type 99/);
  });
});
