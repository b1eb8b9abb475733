// Client-side throttling, as client-go does it: a token bucket holding up to `burst` tokens,
// refilled at `qps` per second, one token per request. It keeps a busy controller from
// flooding the apiserver (which would answer 429 to everyone) after, say, a relist. The bucket
// is @skiff/api's TokenBucket: each waiting caller reserves its token up front, so callers are
// served in arrival order.
import { realClock, TokenBucket, type Clock } from '@skiff/api';

export interface RequestRateLimiter {
  /** Resolves when one more request may go out; rejects with the signal's reason on abort. */
  wait(signal?: AbortSignal): Promise<void>;
}

export class TokenBucketRateLimiter implements RequestRateLimiter {
  private readonly bucket: TokenBucket;

  constructor(
    readonly qps: number,
    readonly burst: number,
    clock: Clock = realClock,
  ) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  /** Takes a token if one is there now; never waits. */
  tryAccept(): boolean {
    return this.bucket.tryAccept();
  }

  wait(signal?: AbortSignal): Promise<void> {
    return this.bucket.wait(signal);
  }
}

/** No limit at all: for tests and for clients that trust the server's 429s alone. */
export const unlimitedRequests: RequestRateLimiter = {
  wait: async (signal) => signal?.throwIfAborted(),
};
