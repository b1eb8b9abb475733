// metav1.Duration as written in configs: Go duration strings such as `15s`, `1m30s`, `100ms`.
import { ConfigError } from '../framework/index.js';

const units: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds; throws with `path` when the text is not a positive Go duration. */
export function parseDuration(value: unknown, path: string): number {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    throw new ConfigError(
      path,
      `Invalid value: ${JSON.stringify(value)}: must be a duration such as "15s"`,
    );
  }
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(m[1]) * (units[m[2] ?? 's'] ?? 0);
  }
  if (!(total > 0))
    throw new ConfigError(path, `Invalid value: ${JSON.stringify(value)}: must be greater than 0`);
  return total;
}
