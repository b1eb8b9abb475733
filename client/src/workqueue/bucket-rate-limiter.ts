// An overall limit on retries across all keys: a token bucket that holds up to `burst` tokens
// and refills at `qps` tokens per second. Per-key backoff alone lets a mass failure (say,
// every object after the apiserver restarts) retry all at once; the bucket spreads them out.
//
// Like golang.org/x/time/rate's Reserve(), `when` never refuses: it takes a token even when the
// bucket is empty (the count goes negative) and returns how long until that token has been
// refilled. So the N-th caller past the burst waits N / qps seconds.
import { type Clock, realClock } from '@skiff/api';
import { type RateLimiter } from './rate-limiter.js';

export class BucketRateLimiter implements RateLimiter {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) {
      throw new RangeError(`token bucket needs qps > 0 and burst >= 1, got ${qps}, ${burst}`);
    }
    this.tokens = burst;
    this.refilledAt = clock.now();
  }

  when(_key: string): number {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return (-this.tokens * 1000) / this.qps;
  }

  /** The bucket is shared by all keys, so there is nothing per key to forget. */
  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }

  private refill(): void {
    const now = this.clock.now();
    // A clock that steps backwards refills nothing rather than draining the bucket.
    if (now <= this.refilledAt) return;
    const earned = ((now - this.refilledAt) * this.qps) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.refilledAt = now;
  }
}
