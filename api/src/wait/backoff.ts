// Exponential backoff with client-go's wait.Backoff semantics: the first delay is `durationMs`,
// each step multiplies it by `factor` (for at most `steps` steps, then it stays), it never grows
// past `capMs`, and up to `jitter × delay` is added at random on top. Everything that retries —
// the reflectors, the workqueue's per-item limiter, the REST client, the etcd connection and
// watch — takes its delays from here, so they cannot drift apart.
import { jitter as addJitter, type Random } from './jitter.js';

export interface BackoffOptions {
  /** The first delay. */
  readonly durationMs: number;
  /** What each step multiplies the delay by (default 2; 1 keeps it constant). */
  readonly factor?: number;
  /** Up to this fraction of the delay is added at random (default 0: none). */
  readonly jitter?: number;
  /** The delay grows for this many steps, then stays (default: no limit). */
  readonly steps?: number;
  /** The delay never grows past this (default: no cap); jitter comes on top. */
  readonly capMs?: number;
}

/**
 * The delay before jitter after `n` earlier steps: durationMs × factor^min(n, steps), capped.
 * For callers that count attempts themselves (a per-item failure count, an attempt number).
 */
export function backoffDelay(options: BackoffOptions, n: number): number {
  const { durationMs, factor = 2, steps = Infinity, capMs = Infinity } = options;
  // factor ** n is Infinity for a large n rather than wrapping, so the cap always holds.
  return Math.min(durationMs * factor ** Math.min(n, steps), capMs);
}

/** One sequence of delays: step() returns the next one, reset() starts over. */
export class Backoff {
  private taken = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: Random = Math.random,
  ) {
    const { durationMs, factor, jitter, steps, capMs } = options;
    for (const value of [durationMs, factor, jitter, steps, capMs]) {
      if (value !== undefined && !(value >= 0)) {
        throw new RangeError(`backoff needs parameters >= 0, got ${JSON.stringify(options)}`);
      }
    }
  }

  /** How many steps were taken since the start or the last reset. */
  get attempts(): number {
    return this.taken;
  }

  /** The next delay in ms, one step further. */
  step(): number {
    const delay = backoffDelay(this.options, this.taken);
    this.taken++;
    const jitter = this.options.jitter ?? 0;
    return jitter > 0 ? Math.round(addJitter(delay, jitter, this.random)) : delay;
  }

  /** Things work again: the next step is the first delay. */
  reset(): void {
    this.taken = 0;
  }
}
