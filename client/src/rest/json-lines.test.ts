import { describe, expect, it } from 'vitest';
import { decodeJsonLines, StreamDecodeError } from './json-lines.js';

async function* chunksOf(parts: readonly (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield typeof part === 'string' ? encoder.encode(part) : part;
}

async function decodeAll(parts: readonly (string | Uint8Array)[]): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of decodeJsonLines(chunksOf(parts))) values.push(value);
  return values;
}

/** The bytes of `text` cut at the given byte offsets. */
function cutBytes(text: string, ...offsets: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
}

const a = '{"type":"ADDED","object":{"n":1}}';
const b = '{"type":"MODIFIED","object":{"n":2}}';
const c = '{"type":"DELETED","object":{"n":3}}';
const abc = [
  { type: 'ADDED', object: { n: 1 } },
  { type: 'MODIFIED', object: { n: 2 } },
  {
    type: 'DELETED',
    object: { n: 3 },
  },
];

describe('decodeJsonLines', () => {
  it.each([
    { name: 'one event per chunk', parts: [`${a}\n`, `${b}\n`, `${c}\n`] },
    { name: 'several events in one chunk', parts: [`${a}\n${b}\n${c}\n`] },
    {
      name: 'an event split across chunks',
      parts: [`${a}\n${b.slice(0, 10)}`, `${b.slice(10)}\n${c}\n`],
    },
    {
      name: 'an event split across three chunks',
      parts: [`${a}\n`, b.slice(0, 5), b.slice(5, 20), `${b.slice(20)}\n${c}\n`],
    },
    { name: 'a chunk ending right before a newline', parts: [`${a}\n${b}`, `\n${c}\n`] },
    { name: 'a chunk that is only a newline', parts: [a, '\n', b, '\n', c, '\n'] },
    { name: 'blank lines and CRLF between events', parts: [`${a}\r\n\n${b}\n\n`, `${c}\r\n`] },
    { name: 'a last event without its newline', parts: [`${a}\n${b}\n`, c] },
    { name: 'empty chunks in between', parts: ['', `${a}\n`, '', `${b}\n${c}`, '', '\n'] },
  ])('decodes $name', async ({ parts }) => {
    expect(await decodeAll(parts)).toEqual(abc);
  });

  it('decodes every possible two-way split of a three-event stream', async () => {
    const stream = `${a}\n${b}\n${c}\n`;
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(await decodeAll([stream.slice(0, cut), stream.slice(cut)])).toEqual(abc);
    }
  });

  it('reassembles multi-byte UTF-8 characters split across chunks', async () => {
    const text = '{"type":"ADDED","object":{"note":"héllo ✓ 𝄞"}}\n';
    const bytes = new TextEncoder().encode(text).length;
    for (let first = 1; first < bytes - 1; first++) {
      for (const second of [first + 1, bytes - 1]) {
        if (second <= first) continue;
        expect(await decodeAll(cutBytes(text, first, second))).toEqual([
          { type: 'ADDED', object: { note: 'héllo ✓ 𝄞' } },
        ]);
      }
    }
  });

  it('yields nothing for an empty stream', async () => {
    expect(await decodeAll([])).toEqual([]);
    expect(await decodeAll(['', '\n', ''])).toEqual([]);
  });

  it.each([
    { name: 'a stream cut off inside an event', parts: [`${a}\n`, b.slice(0, 12)] },
    { name: 'a line that is not JSON', parts: [`${a}\n<html>bad gateway</html>\n`] },
    { name: 'bytes that are not UTF-8', parts: [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a])] },
  ])('throws StreamDecodeError for $name', async ({ parts }) => {
    await expect(decodeAll(parts)).rejects.toThrow(StreamDecodeError);
  });

  it('yields the events before a bad line', async () => {
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const v of decodeJsonLines(chunksOf([`${a}\n${b}\nnot json\n`]))) seen.push(v);
      })(),
    ).rejects.toThrow('not JSON');
    expect(seen).toEqual(abc.slice(0, 2));
  });
});
