// Client-side throttling, as client-go does it: a token bucket holding up to `burst` tokens,
// refilled at `qps` per second, one token per request. It keeps a busy controller from
// flooding the apiserver (which would answer 429 to everyone) after, say, a relist.
import { realClock, type Clock } from '@skiff/api';

export interface RequestRateLimiter {
  /** Resolves when one more request may go out; rejects with the signal's reason on abort. */
  wait(signal?: AbortSignal): Promise<void>;
}

export class TokenBucketRateLimiter implements RequestRateLimiter {
  // May go below zero: each waiting caller reserves its token up front, so callers are served
  // in arrival order and each knows its wait the moment it asks.
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(qps > 0)) throw new Error(`qps must be positive, got ${qps}`);
    if (!(burst >= 1)) throw new Error(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.refilledAt = clock.now();
  }

  /** Takes a token if one is there now; never waits. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const waitMs = Math.ceil((-this.tokens / this.qps) * 1000);
    try {
      await this.clock.sleep(waitMs, signal);
    } catch (err) {
      // Nobody will use the reserved token: hand it back to those queued behind.
      this.tokens += 1;
      throw err;
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const earned = ((now - this.refilledAt) / 1000) * this.qps;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.refilledAt = now;
  }
}

/** No limit at all: for tests and for clients that trust the server's 429s alone. */
export const unlimitedRequests: RequestRateLimiter = {
  wait: async (signal) => signal?.throwIfAborted(),
};
