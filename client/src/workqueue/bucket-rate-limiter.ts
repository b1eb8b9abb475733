// An overall limit on retries across all keys: a token bucket that holds up to `burst` tokens
// and refills at `qps` tokens per second. Per-key backoff alone lets a mass failure (say,
// every object after the apiserver restarts) retry all at once; the bucket spreads them out.
//
// `when` never refuses: it reserves a token even when the bucket is empty and returns how long
// until that token has been refilled, so the N-th caller past the burst waits N / qps seconds.
// The bucket is @skiff/api's TokenBucket.
import { realClock, TokenBucket, type Clock } from '@skiff/api';
import { type RateLimiter } from './rate-limiter.js';

export class BucketRateLimiter implements RateLimiter {
  private readonly bucket: TokenBucket;

  constructor(qps: number, burst: number, clock: Clock = realClock) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  when(_key: string): number {
    return this.bucket.reserve();
  }

  /** The bucket is shared by all keys, so there is nothing per key to forget. */
  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }
}
