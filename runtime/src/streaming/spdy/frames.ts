// SPDY/3.1 frames (draft-mbelshe-spdy-03 and the 3.1 changes) as plain objects, and their wire
// form. Header blocks stay opaque (compressed) here; header-block.ts packs and compresses them.
//
//   control: |1|version(15)|type(16)|flags(8)|length(24)|payload
//   data:    |0|stream id(31)|flags(8)|length(24)|payload

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
const HEADER_BYTES = 8;
/** Frame lengths are 24-bit. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

/** RST_STREAM status codes. */
export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

const TYPE = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; fin: boolean; data: Buffer }
  | {
      kind: 'synStream';
      streamId: number;
      associatedTo: number;
      priority: number;
      fin: boolean;
      unidirectional: boolean;
      headerBlock: Buffer;
    }
  | { kind: 'synReply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { kind: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { kind: 'rstStream'; streamId: number; status: number }
  | { kind: 'settings'; entries: { flags: number; id: number; value: number }[] }
  | { kind: 'ping'; id: number }
  | { kind: 'goAway'; lastGoodStreamId: number; status: number }
  | { kind: 'windowUpdate'; streamId: number; delta: number }
  /** A control frame type SPDY/3.1 does not define: the spec says to ignore it. */
  | { kind: 'unknown'; type: number };

/** A frame the peer should not have sent; the connection answers with GOAWAY or RST_STREAM. */
export class SpdyProtocolError extends Error {
  constructor(
    message: string,
    /** The stream it concerns, or 0 for the whole session. */
    readonly streamId = 0,
  ) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

/** A SYN_STREAM opening `streamId` with no priority, association or flags. */
export function synStreamFrame(streamId: number, headerBlock: Buffer): SpdyFrame {
  return {
    kind: 'synStream',
    streamId,
    associatedTo: 0,
    priority: 0,
    fin: false,
    unidirectional: false,
    headerBlock,
  };
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(payload.length, 4);
  header.writeUInt8(flags, 4);
  return Buffer.concat([header, payload]);
}

function words(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

const STREAM_ID_MASK = 0x7fffffff;

export function encodeFrame(frame: SpdyFrame): Buffer {
  switch (frame.kind) {
    case 'data': {
      if (frame.data.length > MAX_FRAME_PAYLOAD) throw new RangeError('data frame too large');
      const header = Buffer.alloc(HEADER_BYTES);
      header.writeUInt32BE(frame.streamId & STREAM_ID_MASK, 0);
      header.writeUInt32BE(frame.data.length, 4);
      header.writeUInt8(frame.fin ? FLAG_FIN : 0, 4);
      return Buffer.concat([header, frame.data]);
    }
    case 'synStream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & STREAM_ID_MASK, 0);
      fixed.writeUInt32BE(frame.associatedTo & STREAM_ID_MASK, 4);
      fixed.writeUInt8((frame.priority & 0x7) << 5, 8);
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return controlFrame(TYPE.synStream, flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'synReply':
    case 'headers':
      return controlFrame(
        frame.kind === 'synReply' ? TYPE.synReply : TYPE.headers,
        frame.fin ? FLAG_FIN : 0,
        Buffer.concat([words(frame.streamId & STREAM_ID_MASK), frame.headerBlock]),
      );
    case 'rstStream':
      return controlFrame(TYPE.rstStream, 0, words(frame.streamId & STREAM_ID_MASK, frame.status));
    case 'settings': {
      const body = Buffer.alloc(4 + frame.entries.length * 8);
      body.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((e, i) => {
        body.writeUInt32BE(e.id & 0xffffff, 4 + i * 8);
        body.writeUInt8(e.flags, 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return controlFrame(TYPE.settings, 0, body);
    }
    case 'ping':
      return controlFrame(TYPE.ping, 0, words(frame.id));
    case 'goAway':
      return controlFrame(
        TYPE.goAway,
        0,
        words(frame.lastGoodStreamId & STREAM_ID_MASK, frame.status),
      );
    case 'windowUpdate':
      return controlFrame(
        TYPE.windowUpdate,
        0,
        words(frame.streamId & STREAM_ID_MASK, frame.delta & STREAM_ID_MASK),
      );
    case 'unknown':
      throw new TypeError(`cannot encode an unknown frame type ${frame.type}`);
  }
}

function need(payload: Buffer, bytes: number, what: string): void {
  if (payload.length < bytes) {
    throw new SpdyProtocolError(`${what} frame too short: ${payload.length} bytes`);
  }
}

function decodeControl(type: number, flags: number, payload: Buffer): SpdyFrame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case TYPE.synStream:
      need(payload, 10, 'SYN_STREAM');
      return {
        kind: 'synStream',
        streamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        associatedTo: payload.readUInt32BE(4) & STREAM_ID_MASK,
        priority: payload.readUInt8(8) >> 5,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: payload.subarray(10),
      };
    case TYPE.synReply:
    case TYPE.headers:
      need(payload, 4, type === TYPE.synReply ? 'SYN_REPLY' : 'HEADERS');
      return {
        kind: type === TYPE.synReply ? 'synReply' : 'headers',
        streamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        fin,
        headerBlock: payload.subarray(4),
      };
    case TYPE.rstStream:
      need(payload, 8, 'RST_STREAM');
      return {
        kind: 'rstStream',
        streamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        status: payload.readUInt32BE(4),
      };
    case TYPE.settings: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      need(payload, 4 + count * 8, 'SETTINGS');
      const entries = [];
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 8;
        entries.push({
          flags: payload.readUInt8(at),
          id: payload.readUInt32BE(at) & 0xffffff,
          value: payload.readUInt32BE(at + 4),
        });
      }
      return { kind: 'settings', entries };
    }
    case TYPE.ping:
      need(payload, 4, 'PING');
      return { kind: 'ping', id: payload.readUInt32BE(0) };
    case TYPE.goAway:
      need(payload, 4, 'GOAWAY');
      return {
        kind: 'goAway',
        lastGoodStreamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        // SPDY/2 peers send no status.
        status: payload.length >= 8 ? payload.readUInt32BE(4) : GoAwayStatus.Ok,
      };
    case TYPE.windowUpdate:
      need(payload, 8, 'WINDOW_UPDATE');
      return {
        kind: 'windowUpdate',
        streamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        delta: payload.readUInt32BE(4) & STREAM_ID_MASK,
      };
    default:
      return { kind: 'unknown', type };
  }
}

/**
 * Cuts a byte stream into frames. Feed it what the socket delivers; it returns every frame that
 * is complete and keeps the rest. A frame of another SPDY version is a session error.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < HEADER_BYTES + length) break;
      const first = this.pending.readUInt32BE(0);
      const flags = this.pending.readUInt8(4);
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length);
      this.pending = this.pending.subarray(HEADER_BYTES + length);
      if ((first & 0x80000000) === 0) {
        frames.push({
          kind: 'data',
          streamId: first,
          fin: (flags & FLAG_FIN) !== 0,
          data: payload,
        });
        continue;
      }
      const version = (first >>> 16) & 0x7fff;
      if (version !== SPDY_VERSION) {
        throw new SpdyProtocolError(`SPDY version ${version} is not supported (only 3)`);
      }
      frames.push(decodeControl(first & 0xffff, flags, payload));
    }
    return frames;
  }
}
