// Reading the CRI log format that conmon (and skiff runtime's process backend) write, one entry
// per line:
//   <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P>[:<more tags>] <content>
// F ends a line (its newline is not written), P is a partial line that the next entry of the
// same stream continues. The runtime reads exec output back with it; the kubelet serves
// container logs from it.

export type CriLogStream = 'stdout' | 'stderr';

export interface CriLogEntry {
  /** The timestamp as written (RFC 3339 with up to nanoseconds). */
  readonly time: string;
  /** The timestamp in milliseconds since the epoch; NaN when it does not parse. */
  readonly timeMs: number;
  readonly stream: CriLogStream;
  /** True for a P entry: the line continues in the next entry of this stream. */
  readonly partial: boolean;
  /** The entry's bytes, as latin1 text (one character per byte), without the newline. */
  readonly content: string;
}

const ENTRY = /^(\S+) (stdout|stderr) ([FP])(?::\S*)? ?(.*)$/s;

/** One line of a CRI log (latin1 text, without its newline); undefined if it is not an entry. */
export function parseCriLogLine(line: string): CriLogEntry | undefined {
  const match = ENTRY.exec(line);
  if (match === null) return undefined;
  const [, time = '', stream, tag, content = ''] = match;
  return {
    time,
    timeMs: parseRfc3339Ms(time),
    stream: stream as CriLogStream,
    partial: tag === 'P',
    content,
  };
}

/** Milliseconds of an RFC 3339 time with any number of fraction digits (JS keeps three). */
export function parseRfc3339Ms(time: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (m === null) return NaN;
  const [, seconds = '', fraction = '', zone = 'Z'] = m;
  const ms = fraction === '' ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`;
  return Date.parse(`${seconds}${ms}${zone}`);
}

/**
 * Splits a CRI log back into the bytes each stream carried. Output need not be UTF-8, so the log
 * is handled as latin1, which maps every byte to one character and back unchanged.
 */
export function parseCriLog(log: Buffer): { stdout: Buffer; stderr: Buffer } {
  const out: Record<CriLogStream, string[]> = { stdout: [], stderr: [] };
  for (const line of log.toString('latin1').split('\n')) {
    const entry = parseCriLogLine(line);
    if (entry === undefined) continue;
    out[entry.stream].push(entry.partial ? entry.content : `${entry.content}\n`);
  }
  return {
    stdout: Buffer.from(out.stdout.join(''), 'latin1'),
    stderr: Buffer.from(out.stderr.join(''), 'latin1'),
  };
}
