// Per-key exponential backoff: base, 2×base, 4×base, … up to a cap. A key that keeps failing
// backs off on its own while healthy keys go through untouched.
import { type RateLimiter } from './rate-limiter.js';

export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
  ) {
    if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
      throw new RangeError(
        `exponential backoff needs delays >= 0 ms, got ${baseDelayMs}, ${maxDelayMs}`,
      );
    }
  }

  when(key: string): number {
    const previousFailures = this.failures.get(key) ?? 0;
    this.failures.set(key, previousFailures + 1);
    // 2 ** n becomes Infinity for very large n rather than wrapping, so the cap always holds.
    return Math.min(this.baseDelayMs * 2 ** previousFailures, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}
