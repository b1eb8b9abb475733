// SPDY/3 name/value header blocks: a count, then length-prefixed lowercase names and values
// (several values of one name joined by NUL), compressed with one zlib context per direction
// for the whole session, seeded with the SPDY dictionary and flushed (Z_SYNC_FLUSH) per block.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Header names (lowercase) to their values. */
export type SpdyHeaders = Map<string, string[]>;

/** A decompressed block larger than this is refused: nothing this server needs comes close. */
const MAX_HEADER_BLOCK_BYTES = 256 * 1024;

export function packHeaders(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [u32(headers.size)];
  for (const [name, values] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function unpackHeaders(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = new Map();
  let at = 0;
  const read = (): string => {
    if (block.length < at + 4) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(at);
    at += 4;
    if (block.length < at + length) throw new SpdyProtocolError('truncated header block');
    const text = block.subarray(at, at + length).toString('utf8');
    at += length;
    return text;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = read();
    const value = read();
    if (name === '') throw new SpdyProtocolError('empty header name');
    if (headers.has(name)) throw new SpdyProtocolError(`header ${name} appears twice`);
    headers.set(name, value.split('\0'));
  }
  return headers;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/** Runs one block through a long-lived zlib stream and collects what the sync flush yields. */
function throughZlib(stream: Deflate | Inflate, input: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit && !failed) {
        failed = true;
        cleanup();
        reject(new SpdyProtocolError(`header block larger than ${limit} bytes`));
      }
    };
    const onError = (err: Error): void => {
      if (failed) return;
      failed = true;
      cleanup();
      reject(new SpdyProtocolError(`header block does not decompress: ${err.message}`));
    };
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('error', onError);
    stream.write(input);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      if (failed) return;
      cleanup();
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Compresses this side's header blocks; one per session, blocks in the order they are sent. */
export class HeaderCompressor {
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return throughZlib(this.deflate, packHeaders(headers), Number.MAX_SAFE_INTEGER);
  }

  close(): void {
    this.deflate.close();
  }
}

/** Decompresses the peer's header blocks, in the order they arrived. */
export class HeaderDecompressor {
  private readonly inflate = createInflate({ dictionary: SPDY3_DICTIONARY });

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return unpackHeaders(await throughZlib(this.inflate, block, MAX_HEADER_BLOCK_BYTES));
  }

  close(): void {
    this.inflate.close();
  }
}
