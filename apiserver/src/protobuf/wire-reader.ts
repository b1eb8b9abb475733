// A bounds-checked protobuf reader over a Buffer: varints, fixed-width numbers and
// length-delimited slices. Every way past the end is a ProtobufCodecError, so a truncated or
// garbled body is a 400, never an exception the HTTP layer does not expect.
import { ProtobufCodecError } from './codec-error.js';

const TWO_32 = 4294967296;

export class WireReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  private truncated(): never {
    throw new ProtobufCodecError('the message is truncated (a field runs past its end)');
  }

  /** A varint as an unsigned 32-bit number (tags, lengths, int32 and bool). */
  uint32(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) this.truncated();
      const byte = this.buf[this.pos++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value >>> 0;
    }
    // int32 negatives are sign-extended to ten bytes: the low 32 bits are already read.
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.truncated();
      if ((this.buf[this.pos++] ?? 0) < 0x80) return value >>> 0;
    }
    throw new ProtobufCodecError('a varint is longer than ten bytes');
  }

  int32(): number {
    return this.uint32() | 0;
  }

  /** A varint as a signed 64-bit number (exact within ±2^53, as JSON numbers are). */
  int64(): number {
    let low = 0;
    let high = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.truncated();
      const byte = this.buf[this.pos++] ?? 0;
      if (i < 4) low |= (byte & 0x7f) << (7 * i);
      else if (i === 4) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >> 4;
      } else high |= (byte & 0x7f) << (7 * i - 32);
      if (byte < 0x80) return (high | 0) * TWO_32 + (low >>> 0);
    }
    throw new ProtobufCodecError('a varint is longer than ten bytes');
  }

  /** The end of a length-delimited field that starts here. */
  delimitedEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.end) this.truncated();
    return end;
  }

  string(): string {
    const end = this.delimitedEnd();
    const value = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return value;
  }

  bytes(): Buffer {
    const end = this.delimitedEnd();
    const value = this.buf.subarray(this.pos, end);
    this.pos = end;
    return value;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.truncated();
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  float(): number {
    if (this.pos + 4 > this.end) this.truncated();
    const value = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return value;
  }

  /** Skips a field this reader does not know, as protobuf requires. */
  skip(wireType: number): void {
    if (wireType === 0) this.int64();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.pos = this.delimitedEnd();
    else if (wireType === 5) this.advance(4);
    else throw new ProtobufCodecError(`unsupported wire type ${wireType}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) this.truncated();
    this.pos += n;
  }
}
