// How long a reflector waits after a failure before it lists or watches again: client-go's
// reflector backoff (800 ms doubling to 30 s, plus up to 100% jitter, forgotten after 2 minutes
// without trouble). The jitter matters at scale: when an apiserver restarts, a thousand kubelets
// and controllers lose their watches at the same instant, and without it they would all come
// back at the same instants too.
import type { Clock } from '@skiff/api';

export interface BackoffOptions {
  /** The first delay (default 800 ms). */
  readonly initialMs?: number;
  /** The delay stops doubling here (default 30 s); jitter comes on top. */
  readonly maxMs?: number;
  /** Up to this fraction of the delay is added at random (default 1.0, as client-go). */
  readonly jitter?: number;
  /** After this long without a failure the delay starts over (default 2 minutes). */
  readonly resetAfterMs?: number;
  /** The source of jitter, a number in [0, 1); tests pass a constant. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF = {
  initialMs: 800,
  maxMs: 30_000,
  jitter: 1.0,
  resetAfterMs: 120_000,
} as const;

export class Backoff {
  private readonly options: Required<BackoffOptions>;
  private failures = 0;
  private lastFailureAt: number | undefined;

  constructor(
    options: BackoffOptions,
    private readonly clock: Clock,
  ) {
    this.options = { ...DEFAULT_BACKOFF, random: Math.random, ...options };
  }

  /** The delay before the next attempt, one failure later. */
  next(): number {
    const { initialMs, maxMs, jitter, resetAfterMs, random } = this.options;
    const now = this.clock.now();
    if (this.lastFailureAt !== undefined && now - this.lastFailureAt > resetAfterMs) {
      this.failures = 0;
    }
    this.lastFailureAt = now;
    const base = Math.min(initialMs * 2 ** this.failures, maxMs);
    this.failures++;
    return Math.round(base + base * jitter * random());
  }

  /** Things work again: the next failure waits the initial delay. */
  reset(): void {
    this.failures = 0;
    this.lastFailureAt = undefined;
  }
}
