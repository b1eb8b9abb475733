// The CRI log format, one line per chunk of output:
//   <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <content>
// F ends a line (the newline itself is not written), P is a partial line continued by the next
// entry of the same stream. conmon writes this format; the process backend writes it itself, and
// ExecSync reads it back (with @skiff/api's parseCriLog) to split an exec's output into its two streams.

export type LogStream = 'stdout' | 'stderr';

export function formatLogLine(
  time: string,
  stream: LogStream,
  content: string,
  partial: boolean,
): string {
  return `${time} ${stream} ${partial ? 'P' : 'F'} ${content}\n`;
}

/** RFC 3339 with nanoseconds, as the kubelet's log parser expects. */
export function rfc3339Nano(epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const nanos = (epochNs % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${nanos}Z`;
}
