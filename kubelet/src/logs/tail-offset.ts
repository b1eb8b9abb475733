// Where to start reading a log so that its last tailLines lines come out whole, without reading
// the whole file: look back from the end in growing windows. A window starts at a line boundary
// of the file, but its first line of each stream may be the end of a line whose partial (P)
// pieces lie before the window; such a line must not be among the last tailLines, so the window
// grows until it is not.
import type { FileHandle } from 'node:fs/promises';
import { parseCriLogLine, type CriLogStream } from '@skiff/api';

export const TAIL_WINDOW_BYTES = 64 * 1024;

export async function tailStartOffset(
  handle: FileHandle,
  size: number,
  tailLines: number,
  windowBytes = TAIL_WINDOW_BYTES,
): Promise<number> {
  if (tailLines === 0) return size;
  for (let window = windowBytes; ; window *= 2) {
    const start = Math.max(0, size - window);
    if (start === 0) return 0;
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const text = buffer.subarray(0, bytesRead).toString('latin1');
    const cut = text.indexOf('\n') + 1;
    if (cut === 0) continue;
    const doubtful = completedLines(text.slice(cut));
    const tail = doubtful.slice(-tailLines);
    if (doubtful.length >= tailLines && !tail.some((d) => d)) return start + cut;
  }
}

/** For each line the text completes, in order: whether it may lack pieces before the text. */
function completedLines(text: string): boolean[] {
  const seen = new Set<CriLogStream>();
  const out: boolean[] = [];
  const raw = text.split('\n');
  raw.pop(); // an unfinished last line is not an entry yet
  for (const line of raw) {
    const entry = parseCriLogLine(line);
    if (entry === undefined || entry.partial) continue;
    out.push(!seen.has(entry.stream));
    seen.add(entry.stream);
  }
  return out;
}
