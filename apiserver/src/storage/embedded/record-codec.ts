// The framing shared by WAL segments and snapshot files: every record is
//
//   u32 LE  payload length (bytes, > 0)
//   u32 LE  CRC-32 (IEEE) of the payload
//   payload (its first byte is the record type; see wal-record.ts and snapshot.ts)
//
// A reader stops at the first frame that is short (the file ends inside it), has a zero or absurd
// length, or fails its checksum: that is where a crash tore the last write, and nothing after it
// can be trusted. Payload fields are little-endian; strings are u32 length + UTF-8 bytes;
// revisions are u64 (JavaScript numbers stay exact below 2^53, far beyond any real revision).
import { crc32 } from './crc32.js';

export const FRAME_HEADER_BYTES = 8;
/** No legitimate record comes near this (values are capped at 1.5 MiB); a larger length is corruption. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** Builds one payload with exact sizing, then frames it without a second copy. */
export class PayloadWriter {
  private readonly buf: Buffer;
  private pos = FRAME_HEADER_BYTES;

  constructor(payloadBytes: number) {
    this.buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes);
  }

  static stringBytes(s: string): number {
    return 4 + Buffer.byteLength(s, 'utf8');
  }

  static bytesBytes(b: Uint8Array): number {
    return 4 + b.length;
  }

  u8(v: number): this {
    this.buf[this.pos++] = v;
    return this;
  }

  u64(v: number): this {
    // Two u32 halves: exact for integers below 2^53 and cheaper than a BigInt per record.
    this.buf.writeUInt32LE(v % 0x1_0000_0000, this.pos);
    this.buf.writeUInt32LE(Math.floor(v / 0x1_0000_0000), this.pos + 4);
    this.pos += 8;
    return this;
  }

  string(s: string): this {
    const len = this.buf.write(s, this.pos + 4, 'utf8');
    this.buf.writeUInt32LE(len, this.pos);
    this.pos += 4 + len;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.buf.writeUInt32LE(b.length, this.pos);
    this.buf.set(b, this.pos + 4);
    this.pos += 4 + b.length;
    return this;
  }

  /** The complete frame: header (length, CRC) followed by the payload written so far. */
  frame(): Buffer {
    if (this.pos !== this.buf.length) {
      throw new Error(`record size mismatch: wrote ${this.pos} of ${this.buf.length} bytes`);
    }
    const payload = this.buf.subarray(FRAME_HEADER_BYTES);
    this.buf.writeUInt32LE(payload.length, 0);
    this.buf.writeUInt32LE(crc32(payload), 4);
    return this.buf;
  }
}

/** Reads a payload's fields in order; throws if a field runs past the payload's end. */
export class PayloadReader {
  private pos = 0;

  constructor(private readonly payload: Buffer) {}

  u8(): number {
    this.need(1);
    return this.payload.readUInt8(this.pos++);
  }

  u64(): number {
    this.need(8);
    const low = this.payload.readUInt32LE(this.pos);
    const high = this.payload.readUInt32LE(this.pos + 4);
    this.pos += 8;
    if (high > 0x1f_ffff) throw new Error(`u64 field at ${this.pos - 8} exceeds 2^53`);
    return high * 0x1_0000_0000 + low;
  }

  string(): string {
    const len = this.length();
    const s = this.payload.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** A copy, so a value never pins the whole file buffer it was read from. */
  bytes(): Uint8Array {
    const len = this.length();
    const b = new Uint8Array(len);
    b.set(this.payload.subarray(this.pos, this.pos + len));
    this.pos += len;
    return b;
  }

  /** Fails unless every byte was consumed: trailing bytes mean the writer and reader disagree. */
  end(): void {
    if (this.pos !== this.payload.length) {
      throw new Error(`${this.payload.length - this.pos} unexpected trailing bytes in record`);
    }
  }

  private length(): number {
    this.need(4);
    const len = this.payload.readUInt32LE(this.pos);
    this.pos += 4;
    this.need(len);
    return len;
  }

  private need(n: number): void {
    if (this.pos + n > this.payload.length) {
      throw new Error(`record truncated: need ${n} bytes at ${this.pos} of ${this.payload.length}`);
    }
  }
}

export interface FrameScan {
  /** Offset just past the last intact frame: where a torn file must be cut. */
  readonly goodEnd: number;
  /** Why scanning stopped before the end of the buffer; undefined if every byte was a good frame. */
  readonly problem?: string;
}

/**
 * Calls `onFrame` for each intact frame in `buf` from `start`, stopping at the first torn or
 * corrupt one. Errors thrown by `onFrame` propagate: an intact frame whose payload does not
 * decode is not a torn write but a bug or a foreign file, and must not be silently dropped.
 */
export function scanFrames(
  buf: Buffer,
  start: number,
  onFrame: (payload: Buffer, frameStart: number) => void,
): FrameScan {
  let pos = start;
  while (pos < buf.length) {
    if (buf.length - pos < FRAME_HEADER_BYTES) {
      return { goodEnd: pos, problem: `short frame header at offset ${pos}` };
    }
    const len = buf.readUInt32LE(pos);
    if (len === 0 || len > MAX_PAYLOAD_BYTES) {
      return { goodEnd: pos, problem: `invalid frame length ${len} at offset ${pos}` };
    }
    const payloadStart = pos + FRAME_HEADER_BYTES;
    if (buf.length - payloadStart < len) {
      return { goodEnd: pos, problem: `frame at offset ${pos} runs past the end of the file` };
    }
    const payload = buf.subarray(payloadStart, payloadStart + len);
    if (crc32(payload) !== buf.readUInt32LE(pos + 4)) {
      return { goodEnd: pos, problem: `checksum mismatch in frame at offset ${pos}` };
    }
    onFrame(payload, pos);
    pos = payloadStart + len;
  }
  return { goodEnd: pos };
}
