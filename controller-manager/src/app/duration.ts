// Go's time.ParseDuration, which kube-controller-manager's duration flags use: `15s`, `1m30s`,
// `500ms`, `2h`. Answers milliseconds.
const units: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
    consumed = part.lastIndex;
  }
  if (text === '' || consumed !== text.length) {
    throw new Error(`invalid duration ${JSON.stringify(text)} (use e.g. 15s, 1m30s, 500ms)`);
  }
  return total;
}
