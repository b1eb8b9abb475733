// Go's text/tabwriter as kubectl sets it up (minwidth 6, padding 3): what alignColumns prints.
import { describe, expect, it } from 'vitest';
import { alignColumns } from './tabwriter.js';

describe('alignColumns', () => {
  it.each([
    [
      'pads each column to its widest cell plus 3',
      'NAME\tAGE\nlonger-name\t5s\n',
      'NAME          AGE\nlonger-name   5s\n',
    ],
    ['gives a narrow column at least 6', 'A\tB\tC\nx\ty\tz\n', 'A     B     C\nx     y     z\n'],
    ['leaves the last cell unpadded', 'A\tlast\n', 'A     last\n'],
    [
      'aligns blocks separated by an empty line on their own',
      'A\tB\n\nLONGER-HEADER\tB\n',
      'A     B\n\nLONGER-HEADER   B\n',
    ],
    ['counts characters, not bytes', 'NAME\tX\nnaïve\ty\n', 'NAME    X\nnaïve   y\n'],
  ])('%s', (_, text, aligned) => {
    expect(alignColumns(text)).toBe(aligned);
  });
});
