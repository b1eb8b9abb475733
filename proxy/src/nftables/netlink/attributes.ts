// Netlink attributes (type-length-value, 4-byte aligned) and nf_tables messages: just the
// encoding, in the layout libnftnl writes, so `nft list` reads back what `nft -f` would have
// written. Numbers inside nf_tables attributes are big-endian; netlink headers are host order.
import { endianness } from 'node:os';

const NLA_F_NESTED = 0x8000;
const HOST_LE = endianness() === 'LE';

/** An attribute: its type and already-encoded payload (nested attributes concatenated). */
export interface Attr {
  readonly type: number;
  readonly nested: boolean;
  readonly payload: Buffer;
}

const align4 = (n: number): number => (n + 3) & ~3;

export function encodeAttrs(attrs: readonly Attr[]): Buffer {
  const parts: Buffer[] = [];
  for (const a of attrs) {
    const len = 4 + a.payload.length;
    const header = Buffer.alloc(4);
    writeU16(header, 0, len);
    writeU16(header, 2, a.type | (a.nested ? NLA_F_NESTED : 0));
    parts.push(header, a.payload, Buffer.alloc(align4(len) - len));
  }
  return Buffer.concat(parts);
}

const writeU16 = (buf: Buffer, at: number, value: number): void => {
  if (HOST_LE) buf.writeUInt16LE(value, at);
  else buf.writeUInt16BE(value, at);
};
const writeU32 = (buf: Buffer, at: number, value: number): void => {
  if (HOST_LE) buf.writeUInt32LE(value >>> 0, at);
  else buf.writeUInt32BE(value >>> 0, at);
};

export const attr = {
  bytes: (type: number, payload: Buffer): Attr => ({ type, nested: false, payload }),
  str: (type: number, value: string): Attr => ({
    type,
    nested: false,
    payload: Buffer.from(`${value}\0`, 'utf8'),
  }),
  /** A 32-bit number, big-endian as nf_tables wants (`htonl`). */
  u32: (type: number, value: number): Attr => {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(value >>> 0);
    return { type, nested: false, payload };
  },
  u64: (type: number, value: bigint): Attr => {
    const payload = Buffer.alloc(8);
    payload.writeBigUInt64BE(value);
    return { type, nested: false, payload };
  },
  nest: (type: number, children: readonly Attr[]): Attr => ({
    type,
    nested: true,
    payload: encodeAttrs(children),
  }),
};

/** A 32-bit number in host byte order, as registers hold numgen and fib results. */
export function hostU32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  writeU32(buf, 0, value);
  return buf;
}

export const NLM_F_REQUEST = 0x1;
export const NLM_F_ACK = 0x4;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

/** A netlink message with the nfgenmsg header (family, version 0, resource id). */
export function nfMessage(
  type: number,
  flags: number,
  seq: number,
  family: number,
  resId: number,
  attrs: readonly Attr[],
): Buffer {
  const body = encodeAttrs(attrs);
  const header = Buffer.alloc(20);
  writeU32(header, 0, 20 + body.length);
  writeU16(header, 4, type);
  writeU16(header, 6, flags);
  writeU32(header, 8, seq);
  writeU32(header, 12, 0);
  header.writeUInt8(family, 16);
  header.writeUInt8(0, 17);
  header.writeUInt16BE(resId, 18);
  return Buffer.concat([header, body]);
}

/** One netlink message read back: its type, sequence and, for NLMSG_ERROR, the error code. */
export interface NlReply {
  readonly type: number;
  readonly seq: number;
  /** NLMSG_ERROR only: 0 is an acknowledgement, otherwise -errno. */
  readonly error?: number;
}

export const NLMSG_ERROR = 0x2;

export function parseReplies(buf: Buffer): NlReply[] {
  const replies: NlReply[] = [];
  let at = 0;
  while (at + 16 <= buf.length) {
    const len = HOST_LE ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
    const type = HOST_LE ? buf.readUInt16LE(at + 4) : buf.readUInt16BE(at + 4);
    const seq = HOST_LE ? buf.readUInt32LE(at + 8) : buf.readUInt32BE(at + 8);
    if (len < 16 || at + len > buf.length) break;
    if (type === NLMSG_ERROR && len >= 20) {
      const error = HOST_LE ? buf.readInt32LE(at + 16) : buf.readInt32BE(at + 16);
      replies.push({ type, seq, error });
    } else {
      replies.push({ type, seq });
    }
    at += align4(len);
  }
  return replies;
}
