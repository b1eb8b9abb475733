// client-go's ExponentialBackoffManager (what its reflector backs off with): a Backoff that also
// starts over by itself once `resetAfterMs` have passed since the last delay it handed out, so a
// component that failed an hour ago and fails again now starts from the short delay.
import type { Clock } from '../clock/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { Random } from './jitter.js';

export interface BackoffManagerOptions extends BackoffOptions {
  /** After this long without a step, the next step is the first delay again. */
  readonly resetAfterMs: number;
}

export class ExponentialBackoffManager {
  private readonly backoff: Backoff;
  private lastStepAt: number | undefined;

  constructor(
    private readonly options: BackoffManagerOptions,
    private readonly clock: Clock,
    random: Random = Math.random,
  ) {
    this.backoff = new Backoff(options, random);
  }

  /** The delay before the next attempt, one failure later. */
  next(): number {
    const now = this.clock.now();
    if (this.lastStepAt !== undefined && now - this.lastStepAt > this.options.resetAfterMs) {
      this.backoff.reset();
    }
    this.lastStepAt = now;
    return this.backoff.step();
  }

  /** Things work again: the next failure waits the first delay. */
  reset(): void {
    this.backoff.reset();
    this.lastStepAt = undefined;
  }
}
