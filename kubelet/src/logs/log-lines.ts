// From CRI log entries to the lines `kubectl logs` shows. Partial entries (P) are joined with
// the rest of their line, per stream, so a long line the runtime split comes back whole, stamped
// with the time of its first piece. Then the PodLogOptions apply: sinceTime, tailLines,
// timestamps and limitBytes.
import { parseCriLogLine, type CriLogEntry, type CriLogStream } from '@skiff/api';

export interface LogLine {
  /** The time of the line's first entry, as the runtime wrote it. */
  readonly time: string;
  readonly timeMs: number;
  readonly stream: CriLogStream;
  /** latin1 text: one character per byte of output, without the newline. */
  readonly content: string;
}

/** Joins partial entries into lines; keeps an unfinished line until its end arrives. */
export class LineAssembler {
  private readonly pending = new Map<CriLogStream, { first: CriLogEntry; parts: string[] }>();

  push(entry: CriLogEntry): LogLine | undefined {
    const open = this.pending.get(entry.stream);
    if (entry.partial) {
      if (open === undefined)
        this.pending.set(entry.stream, { first: entry, parts: [entry.content] });
      else open.parts.push(entry.content);
      return undefined;
    }
    this.pending.delete(entry.stream);
    const first = open?.first ?? entry;
    const content = open === undefined ? entry.content : [...open.parts, entry.content].join('');
    return { time: first.time, timeMs: first.timeMs, stream: entry.stream, content };
  }

  /** What is left when the log ends: unfinished lines, as the kubelet shows them (no newline). */
  flush(): LogLine[] {
    const rest = [...this.pending.values()].map(({ first, parts }) => ({
      time: first.time,
      timeMs: first.timeMs,
      stream: first.stream,
      content: parts.join(''),
    }));
    this.pending.clear();
    return rest;
  }
}

/** Splits log text (latin1) into lines; the last element is an unfinished line ('' if none). */
export function splitLogText(text: string): { lines: string[]; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  return { lines, rest };
}

/** Every whole line of a complete log text. */
export function logLinesOf(text: string, assembler = new LineAssembler()): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const entry = parseCriLogLine(raw);
    if (entry === undefined) continue;
    const line = assembler.push(entry);
    if (line !== undefined) out.push(line);
  }
  return out;
}

export interface LineSelection {
  /** Milliseconds since the epoch: lines older than this are left out. */
  readonly sinceMs?: number;
  readonly tailLines?: number;
}

/** The last tailLines lines, then those not older than sinceMs (the kubelet's order). */
export function selectLines(lines: readonly LogLine[], selection: LineSelection): LogLine[] {
  const { tailLines, sinceMs } = selection;
  const tail = tailLines === undefined ? lines : tailLines === 0 ? [] : lines.slice(-tailLines);
  return sinceMs === undefined ? [...tail] : tail.filter((l) => !(l.timeMs < sinceMs));
}

/**
 * The time as the kubelet prints it: UTC, RFC 3339 with nanoseconds and trailing zeros dropped
 * (Go's RFC3339Nano), whatever offset the runtime wrote (conmon writes `+00:00`).
 */
export function formatTimestamp(time: string, timeMs: number): string {
  if (Number.isNaN(timeMs)) return time;
  const seconds = new Date(Math.floor(timeMs / 1000) * 1000).toISOString().slice(0, 19);
  const fraction = (/^[^.]*T[^.]*\.(\d+)/.exec(time)?.[1] ?? '').slice(0, 9).replace(/0+$/, '');
  return `${seconds}${fraction === '' ? '' : `.${fraction}`}Z`;
}

/** A line as `kubectl logs` prints it, `--timestamps` putting the runtime's time first. */
export function formatLine(line: LogLine, timestamps: boolean, newline = true): Buffer {
  const stamp = timestamps ? `${formatTimestamp(line.time, line.timeMs)} ` : '';
  const text = `${stamp}${line.content}${newline ? '\n' : ''}`;
  return Buffer.from(text, 'latin1');
}

/** Counts bytes against limitBytes: what of each chunk may still be written. */
export class ByteLimit {
  private left: number;

  constructor(limitBytes: number | undefined) {
    this.left = limitBytes ?? Infinity;
  }

  get exhausted(): boolean {
    return this.left <= 0;
  }

  take(chunk: Buffer): Buffer {
    if (chunk.length <= this.left) {
      this.left -= chunk.length;
      return chunk;
    }
    const part = chunk.subarray(0, Math.max(0, this.left));
    this.left = 0;
    return part;
  }
}
