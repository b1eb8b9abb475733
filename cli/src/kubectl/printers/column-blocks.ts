// Go's text/tabwriter with its exact column blocks, for the printers that write ragged lines
// (kubectl describe: `Name:\tweb` next to `Containers:` next to a five-column Events table).
// A column block is a run of consecutive lines that all have a tab-terminated cell in that
// column; each block is as wide as its widest cell plus the padding. Blocks are found column by
// column, left to right, inside the block of the column before — so a line with fewer cells ends
// only the blocks of the columns it lacks. The text after a line's last tab is never padded.
export interface ColumnOptions {
  /** The narrowest a column may be, padding included (describe: 0, get: 6). */
  readonly minWidth: number;
  /** Spaces after the widest cell of a block (describe: 2, get: 3). */
  readonly padding: number;
}

export function formatColumnBlocks(text: string, options: ColumnOptions): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] ?? [];
      out.push(
        cells
          .map((cell, j) => {
            const width = widths[j];
            return j < cells.length - 1 && width !== undefined ? pad(cell, width) : cell;
          })
          .join(''),
      );
    }
  };

  // The columns to the left of widths.length are sized; find the blocks of the next one.
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    let start = line0;
    for (let line = line0; line < line1; line++) {
      if (column >= (lines[line]?.length ?? 0) - 1) continue;
      writeLines(start, line);
      let width = options.minWidth;
      let end = line;
      for (; end < line1; end++) {
        const cells = lines[end] ?? [];
        if (column >= cells.length - 1) break;
        width = Math.max(width, runes(cells[column] ?? '') + options.padding);
      }
      widths.push(width);
      format(line, end);
      widths.pop();
      start = end;
      line = end - 1;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}

function runes(text: string): number {
  return [...text].length;
}

function pad(cell: string, width: number): string {
  return cell + ' '.repeat(Math.max(0, width - runes(cell)));
}
