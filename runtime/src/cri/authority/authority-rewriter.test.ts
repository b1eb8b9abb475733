import { describe, expect, it } from 'vitest';
import { AuthorityRewriter, needsNewAuthority } from './authority-rewriter.js';
import { encodeInteger } from './header-literals.js';
import { hpack } from './hpack.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const SETTINGS = frame(0x4, 0, 0, Buffer.alloc(0));

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/** A Go-like encoder: :authority as a literal with incremental indexing (index 1 = :authority). */
function indexedAuthorityBlock(authority: string, path: string): Buffer {
  const literal = (text: string): Buffer =>
    Buffer.concat([encodeInteger(text.length, 7, 0), Buffer.from(text, 'latin1')]);
  return Buffer.concat([
    Buffer.of(0x83), // :method POST (static 3)
    Buffer.of(0x86), // :scheme http (static 6)
    encodeInteger(4, 6, 0x40), // :path, literal with incremental indexing
    literal(path),
    encodeInteger(1, 6, 0x40), // :authority, literal with incremental indexing
    literal(authority),
  ]);
}

/** The next block refers to the :authority entry the first one added (dynamic index 62). */
function reusingBlock(path: string): Buffer {
  const literal = (text: string): Buffer =>
    Buffer.concat([encodeInteger(text.length, 7, 0), Buffer.from(text, 'latin1')]);
  return Buffer.concat([
    Buffer.of(0x83, 0x86),
    encodeInteger(4, 4, 0x00),
    literal(path),
    Buffer.of(0x80 | 62),
  ]);
}

/** Splits the rewriter's output into frames and decodes every header block in order. */
function decodeOutput(bytes: Buffer): { headers: Record<string, string>[]; flags: number[] } {
  const decoder = hpack.decompressor.create({ table: { maxSize: 4096 } });
  const headers: Record<string, string>[] = [];
  const flags: number[] = [];
  let at = PREFACE.length;
  let block: Buffer[] = [];
  while (at < bytes.length) {
    const length = bytes.readUIntBE(at, 3);
    const type = bytes[at + 3];
    const f = bytes[at + 4] ?? 0;
    const payload = bytes.subarray(at + 9, at + 9 + length);
    at += 9 + length;
    if (type !== 0x1 && type !== 0x9) continue;
    if (type === 0x1) flags.push(f);
    block.push(payload);
    if (f & 0x4) {
      decoder.write(Buffer.concat(block));
      decoder.execute();
      const fields: Record<string, string> = {};
      for (let h = decoder.read(); h !== null; h = decoder.read()) fields[h.name] = h.value;
      headers.push(fields);
      block = [];
    }
  }
  return { headers, flags };
}

describe('AuthorityRewriter', () => {
  it.each([
    ['/run/skiff/runtime.sock', true],
    ['localhost', false],
    ['127.0.0.1:10010', false],
    ['[::1]:80', false],
    ['a b', true],
  ])('finds that %j needs a new authority: %s', (authority, expected) => {
    expect(needsNewAuthority(authority)).toBe(expected);
  });

  it('replaces a socket path in :authority with localhost, also where later blocks refer to it', () => {
    const input = Buffer.concat([
      PREFACE,
      SETTINGS,
      frame(0x1, 0x4, 1, indexedAuthorityBlock('/run/skiff/runtime.sock', '/a')),
      frame(0x0, 0x1, 1, Buffer.from('body')),
      frame(0x1, 0x4 | 0x1, 3, reusingBlock('/b')),
    ]);
    const rewriter = new AuthorityRewriter();
    // Byte by byte: frames split anywhere must come out the same.
    const out = Buffer.concat([...input].map((b) => rewriter.push(Buffer.of(b))));
    expect(out.subarray(0, PREFACE.length)).toEqual(PREFACE);
    const { headers, flags } = decodeOutput(out);
    expect(headers).toEqual([
      { ':method': 'POST', ':scheme': 'http', ':path': '/a', ':authority': 'localhost' },
      { ':method': 'POST', ':scheme': 'http', ':path': '/b', ':authority': 'localhost' },
    ]);
    expect(flags).toEqual([0x4, 0x4 | 0x1]);
    expect(out.includes(Buffer.from('body'))).toBe(true);
  });

  it('passes a connection whose first request has a valid authority through unchanged', () => {
    const input = Buffer.concat([
      PREFACE,
      SETTINGS,
      frame(0x1, 0x4, 1, indexedAuthorityBlock('localhost', '/a')),
      frame(0x1, 0x4, 3, reusingBlock('/b')),
    ]);
    const rewriter = new AuthorityRewriter();
    expect(rewriter.push(input)).toEqual(input);
  });

  it('joins a block split over CONTINUATION frames and drops its padding', () => {
    const block = indexedAuthorityBlock('/tmp/cri.sock', '/c');
    const padded = Buffer.concat([Buffer.of(3), block.subarray(0, 5), Buffer.alloc(3)]);
    const input = Buffer.concat([
      PREFACE,
      frame(0x1, 0x8, 1, padded), // PADDED, no END_HEADERS
      frame(0x9, 0x4, 1, block.subarray(5)),
    ]);
    const { headers, flags } = decodeOutput(new AuthorityRewriter().push(input));
    expect(headers).toEqual([
      { ':method': 'POST', ':scheme': 'http', ':path': '/c', ':authority': 'localhost' },
    ]);
    expect(flags).toEqual([0x4]);
  });

  it('refuses a header block it cannot decode', () => {
    const input = Buffer.concat([PREFACE, frame(0x1, 0x4, 1, Buffer.of(0xff, 0xff, 0xff, 0xff))]);
    expect(() => new AuthorityRewriter().push(input)).toThrow(/undecodable HTTP\/2 header block/);
  });
});
