// The resize channel: the client writes one JSON object per size change,
// {"Width":80,"Height":24} (client-go's remotecommand.TerminalSize), back to back with no
// separator, as Go's json.Encoder does. Anything that is not such an object is skipped.
import type { Readable } from 'node:stream';

export interface TerminalSize {
  readonly width: number;
  readonly height: number;
}

/** Calls `onSize` for each well-formed size read from `source`; too-long garbage is dropped. */
export function readTerminalSizes(source: Readable, onSize: (size: TerminalSize) => void): void {
  const splitter = new JsonObjectSplitter();
  source.on('data', (chunk: Buffer) => {
    for (const text of splitter.push(chunk.toString('utf8'))) {
      const size = parseSize(text);
      if (size !== undefined) onSize(size);
    }
  });
  source.on('error', () => undefined);
}

function parseSize(text: string): TerminalSize | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: a confused client; the next object may still be good.
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { Width: width, Height: height } = value as { Width?: unknown; Height?: unknown };
  const valid = (n: unknown): n is number =>
    Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff;
  return valid(width) && valid(height) ? { width, height } : undefined;
}

/** Cuts concatenated JSON objects apart by tracking braces outside strings. */
class JsonObjectSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private static readonly MAX = 4096;

  push(text: string): string[] {
    const out: string[] = [];
    const base = this.buffer.length;
    this.buffer += text;
    for (let i = base; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"' && this.depth > 0) this.inString = true;
      else if (c === '{') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === '}' && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) out.push(this.buffer.slice(this.start, i + 1));
      }
    }
    if (this.depth === 0) this.buffer = '';
    else if (this.buffer.length - this.start > JsonObjectSplitter.MAX) this.reset();
    else {
      this.buffer = this.buffer.slice(this.start);
      this.start = 0;
    }
    return out;
  }

  private reset(): void {
    this.buffer = '';
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}
