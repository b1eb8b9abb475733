// kubectl describe's PrefixWriter over its tabwriter: each write is indented two spaces per
// level, and the whole description is aligned at the end in Go's column blocks (minimum width
// 0, padding 2), so `Name:\tweb` lines line up the way kubectl's do.
import { formatColumnBlocks } from '../printers/column-blocks.js';

export type Level = 0 | 1 | 2 | 3 | 4;

export class DescribeWriter {
  private text = '';

  /** `text` at `level` (two spaces each); it carries its own `\n` and `\t`s. */
  write(level: Level, text: string): void {
    this.text += '  '.repeat(level) + text;
  }

  /** kubectl's WriteLine: the text and a newline, no indentation. */
  line(text: string): void {
    this.text += `${text}\n`;
  }

  /** The description, aligned. */
  toString(): string {
    return formatColumnBlocks(this.text, { minWidth: 0, padding: 2 });
  }
}

/** Builds one description: what kubectl's describers wrap in tabbedString. */
export function tabbed(describe: (w: DescribeWriter) => void): string {
  const w = new DescribeWriter();
  describe(w);
  return w.toString();
}
