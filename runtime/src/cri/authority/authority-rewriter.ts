// Go CRI clients (Kubernetes' CRI client up to 1.30: the kubelet, crictl, critest) dial a unix
// socket with the socket's path as the HTTP/2 `:authority`, e.g. `/run/skiff/runtime.sock`.
// Node's HTTP/2 server is nghttp2 with its HTTP messaging checks on, and nghttp2 accepts in
// `:authority` and `host` only the characters of RFC 3986's authority (no `/`): anything else
// resets the stream with PROTOCOL_ERROR before Node, let alone grpc-js, sees it. Node exposes no
// option to turn that check off (none of its http2 settings, `maxSessionInvalidFrames`,
// `unknownProtocolTimeout` or `strictFieldWhitespaceValidation`, reaches it), and turning off all
// of nghttp2's HTTP checks would be too much anyway. Go's own server (containerd) does not check.
//
// So the bytes from the client pass through this rewriter before nghttp2 reads them. It follows
// HTTP/2's frames and decodes every request header block (HPACK, with the client's dynamic
// table); a block whose `:authority`/`host` nghttp2 would refuse is written out again with
// `localhost` there (what newer gRPC clients send on unix sockets; the authority means nothing on
// a socket). Re-encoded blocks use only literals without indexing, so nghttp2's decoder table
// stays empty and consistent whatever the client's table holds.
//
// Cost: a connection whose first request carries a valid authority (grpc-js, newer Go clients)
// is passed through untouched from then on — a channel's authority is fixed, and its later blocks
// may refer to entries of that first one, which nghttp2 then also has. Only connections that
// need the fix pay for decoding and re-encoding their headers; bodies are never copied.
import { encodeLiteralBlock, type RawHeader } from './header-literals.js';
import { hpack } from './hpack.js';

/** What nghttp2 accepts in `:authority` (its VALID_AUTHORITY_CHARS). */
const VALID_AUTHORITY = /^[A-Za-z0-9!$%&'()*+,\-.:;=[\]_~]*$/;
export const REPLACEMENT_AUTHORITY = 'localhost';

const CLIENT_PREFACE_LENGTH = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
const FRAME_HEADER_LENGTH = 9;
const HEADERS = 0x1;
const CONTINUATION = 0x9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
/** The smallest SETTINGS_MAX_FRAME_SIZE a peer may have: always safe to send. */
const MAX_FRAME_PAYLOAD = 16_384;
/** SETTINGS_HEADER_TABLE_SIZE as Node's server announces it (its default). */
const HEADER_TABLE_SIZE = 4096;

export function needsNewAuthority(value: string): boolean {
  return !VALID_AUTHORITY.test(value);
}

interface PendingBlock {
  readonly streamId: number;
  readonly endStream: boolean;
  /** The HEADERS frame's priority fields (5 octets), kept as sent. */
  readonly priority: Buffer | undefined;
  readonly fragments: Buffer[];
  /** The frames as received, for a block that needs no change. */
  readonly frames: Buffer[];
}

export class AuthorityRewriter {
  private buffered: Buffer = Buffer.alloc(0);
  private prefaceLeft = CLIENT_PREFACE_LENGTH;
  private mode: 'undecided' | 'rewrite' | 'passthrough' = 'undecided';
  private pending: PendingBlock | undefined;
  private readonly decoder = hpack.decompressor.create({
    table: { maxSize: HEADER_TABLE_SIZE },
  });

  /** Client bytes in, the bytes for the server out. Throws on a header block it cannot decode. */
  push(chunk: Buffer): Buffer {
    if (this.mode === 'passthrough' && this.buffered.length === 0) return chunk;
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: Buffer[] = [];
    if (this.prefaceLeft > 0) {
      const preface = this.take(Math.min(this.prefaceLeft, this.buffered.length));
      this.prefaceLeft -= preface.length;
      out.push(preface);
    }
    while (this.mode !== 'passthrough' && this.buffered.length >= FRAME_HEADER_LENGTH) {
      const length = this.buffered.readUIntBE(0, 3);
      if (this.buffered.length < FRAME_HEADER_LENGTH + length) break;
      out.push(...this.frame(this.take(FRAME_HEADER_LENGTH + length)));
    }
    if (this.mode === 'passthrough') out.push(this.take(this.buffered.length));
    return out.length === 1 ? (out[0] ?? Buffer.alloc(0)) : Buffer.concat(out);
  }

  private take(n: number): Buffer {
    const taken = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return taken;
  }

  private frame(frame: Buffer): Buffer[] {
    const type = frame[3];
    const flags = frame[4] ?? 0;
    const streamId = frame.readUInt32BE(5) & 0x7fffffff;
    const payload = frame.subarray(FRAME_HEADER_LENGTH);
    if (type === HEADERS && this.pending === undefined) {
      let at = 0;
      let padding = 0;
      if (flags & PADDED) {
        padding = payload[0] ?? 0;
        at = 1;
      }
      const priority = flags & PRIORITY ? payload.subarray(at, at + 5) : undefined;
      if (priority !== undefined) at += 5;
      this.pending = {
        streamId,
        endStream: (flags & END_STREAM) !== 0,
        priority,
        fragments: [payload.subarray(at, payload.length - padding)],
        frames: [frame],
      };
    } else if (type === CONTINUATION && this.pending !== undefined) {
      this.pending.fragments.push(payload);
      this.pending.frames.push(frame);
    } else {
      // Not part of a header block (or a broken sequence nghttp2 will refuse itself): as is.
      return [frame];
    }
    if (!(flags & END_HEADERS)) return [];
    const block = this.pending;
    this.pending = undefined;
    return this.finish(block);
  }

  private finish(block: PendingBlock): Buffer[] {
    const headers = this.decode(Buffer.concat(block.fragments));
    const fix = headers.some(
      (h) => (h.name === ':authority' || h.name === 'host') && needsNewAuthority(h.value),
    );
    if (this.mode === 'undecided') this.mode = fix ? 'rewrite' : 'passthrough';
    if (this.mode === 'passthrough') return block.frames;
    const fixed = headers.map((h) =>
      (h.name === ':authority' || h.name === 'host') && needsNewAuthority(h.value)
        ? { name: h.name, value: REPLACEMENT_AUTHORITY }
        : h,
    );
    return headerFrames(block, encodeLiteralBlock(fixed));
  }

  private decode(block: Buffer): RawHeader[] {
    // All synchronous: the decompressor decodes on execute() and buffers what it decoded; a
    // malformed block is an 'error' event, emitted inside execute().
    let failure: Error | undefined;
    const onError = (err: Error): void => {
      failure = err;
    };
    this.decoder.once('error', onError);
    this.decoder.write(block);
    this.decoder.execute();
    this.decoder.removeListener('error', onError);
    const headers: RawHeader[] = [];
    for (let h = this.decoder.read(); h !== null; h = this.decoder.read()) {
      headers.push({ name: h.name, value: h.value });
    }
    if (failure !== undefined) {
      throw new Error(`undecodable HTTP/2 header block: ${failure.message}`, { cause: failure });
    }
    return headers;
  }
}

/** A HEADERS frame (and CONTINUATIONs as needed) carrying `block`, unpadded. */
function headerFrames(pending: PendingBlock, block: Buffer): Buffer[] {
  const first = pending.priority === undefined ? block : Buffer.concat([pending.priority, block]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < first.length || chunks.length === 0; at += MAX_FRAME_PAYLOAD) {
    chunks.push(first.subarray(at, at + MAX_FRAME_PAYLOAD));
  }
  return chunks.map((payload, i) => {
    const last = i === chunks.length - 1;
    const type = i === 0 ? HEADERS : CONTINUATION;
    let flags = last ? END_HEADERS : 0;
    if (i === 0 && pending.endStream) flags |= END_STREAM;
    if (i === 0 && pending.priority !== undefined) flags |= PRIORITY;
    const header = Buffer.alloc(FRAME_HEADER_LENGTH);
    header.writeUIntBE(payload.length, 0, 3);
    header[3] = type;
    header[4] = flags;
    header.writeUInt32BE(pending.streamId, 5);
    return Buffer.concat([header, payload]);
  });
}
