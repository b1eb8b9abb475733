// metav1.Duration as written in a KubeSchedulerConfiguration (`leaseDuration: 15s`): a Go
// duration string, read by @skiff/api's parseDuration; here only what a config adds — the field
// path in the error, and that a scheduler's durations are positive.
import { DurationParseError, parseDuration } from '@skiff/api';
import { ConfigError } from '../framework/index.js';

/** Milliseconds; throws with `path` when the value is not a positive Go duration. */
export function parsePositiveDuration(value: unknown, path: string): number {
  const ms = typeof value === 'string' ? durationOrNaN(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigError(
      path,
      `Invalid value: ${JSON.stringify(value)}: must be a duration such as "15s"`,
    );
  }
  if (!(ms > 0))
    throw new ConfigError(path, `Invalid value: ${JSON.stringify(value)}: must be greater than 0`);
  return ms;
}

function durationOrNaN(text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    if (err instanceof DurationParseError) return Number.NaN;
    throw err;
  }
}
