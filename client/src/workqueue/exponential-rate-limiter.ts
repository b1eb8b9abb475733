// Per-key exponential backoff: base, 2×base, 4×base, … up to a cap. A key that keeps failing
// backs off on its own while healthy keys go through untouched. The delays are @skiff/api's
// backoffDelay; this limiter only counts failures per key.
import { backoffDelay, type BackoffOptions } from '@skiff/api';
import { type RateLimiter } from './rate-limiter.js';

export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly backoff: BackoffOptions;

  constructor(baseDelayMs: number, maxDelayMs: number) {
    if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
      throw new RangeError(
        `exponential backoff needs delays >= 0 ms, got ${baseDelayMs}, ${maxDelayMs}`,
      );
    }
    this.backoff = { durationMs: baseDelayMs, factor: 2, capMs: maxDelayMs };
  }

  when(key: string): number {
    const previousFailures = this.failures.get(key) ?? 0;
    this.failures.set(key, previousFailures + 1);
    return backoffDelay(this.backoff, previousFailures);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}
