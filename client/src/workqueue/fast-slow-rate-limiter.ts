// A fixed short delay for a key's first few retries, then a fixed long one: for work that is
// expected to succeed after a moment (a cache catching up) but should not spin if it does not.
import { type RateLimiter } from './rate-limiter.js';

export class ItemFastSlowRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly fastDelayMs: number,
    private readonly slowDelayMs: number,
    private readonly maxFastAttempts: number,
  ) {}

  when(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    return failures <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}
