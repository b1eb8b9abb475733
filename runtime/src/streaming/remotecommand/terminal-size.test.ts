import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTerminalSizes, type TerminalSize } from './terminal-size.js';

function sizesFrom(chunks: string[]): TerminalSize[] {
  const source = new PassThrough();
  const sizes: TerminalSize[] = [];
  readTerminalSizes(source, (size) => sizes.push(size));
  for (const chunk of chunks) source.write(chunk);
  return sizes;
}

describe('readTerminalSizes', () => {
  it.each([
    ['one object', ['{"Width":80,"Height":24}'], [{ width: 80, height: 24 }]],
    [
      'objects back to back, split anywhere',
      ['{"Width":80,"He', 'ight":24}{"Width":1', '00,"Height":30}\n'],
      [
        { width: 80, height: 24 },
        { width: 100, height: 30 },
      ],
    ],
    ['garbage between objects', ['nonsense{"Width":1,"Height":2}}}'], [{ width: 1, height: 2 }]],
    ['a string holding a brace', ['{"x":"}","Width":3,"Height":4}'], [{ width: 3, height: 4 }]],
    ['wrong types and ranges', ['{"Width":"80","Height":24}{"Width":70000,"Height":1}'], []],
  ])('%s', (_name, chunks, expected) => {
    expect(sizesFrom(chunks)).toEqual(expected);
  });
});
