// How long a reflector waits after a failure before it lists or watches again: client-go's
// reflector backoff (800 ms doubling to 30 s, plus up to 100% jitter, forgotten after 2 minutes
// without trouble). The jitter matters at scale: when an apiserver restarts, a thousand kubelets
// and controllers lose their watches at the same instant, and without it they would all come
// back at the same instants too.
//
// The mechanism is @skiff/api's ExponentialBackoffManager; this file only names the reflector's
// defaults and keeps the informer options' shape.
import { ExponentialBackoffManager, type Clock } from '@skiff/api';

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

/** next(): the delay before the next attempt, one failure later; reset(): things work again. */
export class Backoff extends ExponentialBackoffManager {
  constructor(options: BackoffOptions, clock: Clock) {
    const { initialMs, maxMs, jitter, resetAfterMs, random } = {
      ...DEFAULT_BACKOFF,
      random: Math.random,
      ...options,
    };
    super({ durationMs: initialMs, capMs: maxMs, jitter, resetAfterMs }, clock, random);
  }
}
