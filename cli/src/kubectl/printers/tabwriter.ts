// Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, spaces): every
// tab-terminated cell of a column is padded to the widest cell plus 3, at least 6; the text
// after a line's last tab is printed as is. A line without tabs ends the column block, so
// tables separated by an empty line align independently — exactly what kubectl prints.
const MIN_WIDTH = 6;
const PADDING = 3;

export function alignColumns(text: string): string {
  return alignBlocks(text, undefined);
}

/**
 * With tabwriter.RememberWidths, as kubectl's: a column never narrows from one write to the
 * next, so `get -w` rows line up under the header the listing printed.
 */
export class TabWriter {
  private readonly remembered: number[] = [];

  align(text: string): string {
    return alignBlocks(text, this.remembered);
  }
}

/** `remembered`: widths carried from earlier writes, and grown by this one's. */
function alignBlocks(text: string, remembered: number[] | undefined): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let block: string[][] = [];
  const flush = () => {
    const widths = [...(remembered ?? [])];
    for (const cells of block) {
      cells.slice(0, -1).forEach((cell, i) => {
        widths[i] = Math.max(widths[i] ?? 0, Math.max(MIN_WIDTH, width(cell) + PADDING));
      });
    }
    if (remembered) widths.forEach((w, i) => (remembered[i] = w));
    for (const cells of block) {
      out.push(
        cells.map((cell, i) => (i < cells.length - 1 ? pad(cell, widths[i] ?? 0) : cell)).join(''),
      );
    }
    block = [];
  };
  for (const line of lines) {
    const cells = line.split('\t');
    if (cells.length === 1) {
      flush();
      out.push(line);
    } else block.push(cells);
  }
  flush();
  return out.join('\n');
}

function width(cell: string): number {
  return [...cell].length;
}

function pad(cell: string, to: number): string {
  return cell + ' '.repeat(Math.max(0, to - width(cell)));
}
