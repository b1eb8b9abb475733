import { describe, expect, it } from 'vitest';
import { inputFrame, resizeFrame, TerminalFrameReader } from './terminal-socket.js';

const hello = inputFrame(Buffer.from('hello'));
const resize = resizeFrame({ rows: 13, cols: 77 });
const both = Buffer.concat([hello, resize]);

describe('terminal frames', () => {
  it.each([
    ['one chunk holding both frames', [both]],
    ['a chunk per byte', [...both].map((byte) => Buffer.from([byte]))],
    ['a split inside the input header', [both.subarray(0, 3), both.subarray(3)]],
    ['a split inside the input bytes', [both.subarray(0, 7), both.subarray(7)]],
  ])('reads input then a resize from %s', (_, chunks) => {
    const reader = new TerminalFrameReader();
    const frames = chunks.flatMap((chunk) => reader.push(chunk));
    expect(frames).toEqual([
      { kind: 'input', data: Buffer.from('hello') },
      { kind: 'resize', size: { rows: 13, cols: 77 } },
    ]);
  });

  it('clamps sizes to what a pty takes', () => {
    const reader = new TerminalFrameReader();
    expect(reader.push(resizeFrame({ rows: 0, cols: 1e6 }))).toEqual([
      { kind: 'resize', size: { rows: 1, cols: 65535 } },
    ]);
  });

  it('refuses an unknown frame type', () => {
    expect(() => new TerminalFrameReader().push(Buffer.from([9, 0, 0, 0, 0]))).toThrow(
      /unknown terminal frame type 9/,
    );
  });
});
