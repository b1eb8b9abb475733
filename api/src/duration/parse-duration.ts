// Go's time.ParseDuration, which every Kubernetes component's duration flags and config fields
// use (`--node-monitor-grace-period=40s`, `leaseDuration: 1m30s`): a sequence of decimal numbers,
// each with a unit — ns, us (or µs), ms, s, m, h — with an optional sign, or a bare `0`.
// Answers milliseconds, the unit of skiff's Clock.

const millisecondsPerUnit: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3, // Go accepts both the micro sign (U+00B5) and the Greek mu (U+03BC)
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A duration that does not parse; the message is Go's (`time: invalid duration "1x"`). */
export class DurationParseError extends Error {
  constructor(readonly text: string) {
    super(`time: invalid duration ${JSON.stringify(text)}`);
    this.name = 'DurationParseError';
  }
}

/** Milliseconds in a Go duration string such as `15s`, `1m30s`, `500ms` or `-1.5h`. */
export function parseDuration(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(body); match; match = part.exec(body)) {
    total += Number(match[1]) * (millisecondsPerUnit[match[2] ?? ''] ?? Number.NaN);
    consumed = part.lastIndex;
  }
  if (body === '' || consumed !== body.length || !Number.isFinite(total)) {
    throw new DurationParseError(text);
  }
  return sign * total;
}
