import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './grpc-frame.js';

/** A gRPC frame around `payload`: flag byte, 4-byte big-endian length, payload. */
function frame(payload: string, flag = 0): Buffer {
  const body = Buffer.from(payload);
  const prefix = Buffer.alloc(5);
  prefix[0] = flag;
  prefix.writeUInt32BE(body.length, 1);
  return Buffer.concat([prefix, body]);
}

/** `bytes` cut at the given offsets into consecutive chunks. */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
}

/** Feed chunks one by one, collecting each message as soon as it is complete. */
function decodeAll(chunks: readonly Buffer[]): { messages: string[]; pending: number } {
  const decoder = new FrameDecoder();
  const messages: string[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let m = decoder.next(); m; m = decoder.next()) messages.push(m.toString());
  }
  return { messages, pending: decoder.pendingBytes };
}

describe('FrameDecoder', () => {
  const two = Buffer.concat([frame('first message'), frame('second')]);

  it.each([
    ['one frame in one chunk', [frame('hello')], ['hello']],
    ['two frames packed into one chunk', [two], ['first message', 'second']],
    ['a frame cut inside its prefix', cut(frame('hello'), [2]), ['hello']],
    ['a frame cut right after its prefix', cut(frame('hello'), [5]), ['hello']],
    ['a frame cut inside its payload', cut(frame('hello'), [7]), ['hello']],
    ['two frames cut across their boundary', cut(two, [16, 21]), ['first message', 'second']],
    ['an empty message', [frame('')], ['']],
  ])('reassembles %s', (_name, chunks, expected) => {
    expect(decodeAll(chunks)).toEqual({ messages: expected, pending: 0 });
  });

  it('reassembles frames cut at every possible offset', () => {
    for (let offset = 1; offset < two.length; offset++) {
      expect(decodeAll(cut(two, [offset])).messages).toEqual(['first message', 'second']);
    }
  });

  it('reassembles a large message delivered one byte per chunk', () => {
    const payload = 'x'.repeat(70_000);
    const bytes = frame(payload);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(decodeAll(chunks).messages).toEqual([payload]);
  });

  it('returns nothing and keeps the bytes while a frame is incomplete', () => {
    expect(decodeAll([frame('hello').subarray(0, 8)])).toEqual({ messages: [], pending: 8 });
  });

  it('hands out a message that fits in one chunk as a view, without copying', () => {
    const chunk = frame('hello');
    const decoder = new FrameDecoder();
    decoder.push(chunk);
    expect(decoder.next()?.buffer).toBe(chunk.buffer);
  });

  it('refuses a compressed message, which it never asked for', () => {
    const decoder = new FrameDecoder();
    decoder.push(frame('zipped', 1));
    expect(() => decoder.next()).toThrow(/compressed/);
  });
});
