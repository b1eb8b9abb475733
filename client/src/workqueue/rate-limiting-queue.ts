// A delaying queue whose retries are paced by a RateLimiter (client-go's RateLimitingInterface).
// A worker's error path is `addRateLimited(key)`; its success path is `forget(key)`, so the
// next failure of that key starts again from the shortest backoff.
import { DelayingQueue } from './delaying-queue.js';
import { defaultControllerRateLimiter } from './default-rate-limiter.js';
import { type WorkQueueOptions } from './queue.js';
import { type RateLimiter } from './rate-limiter.js';

export interface RateLimitingQueueOptions extends WorkQueueOptions {
  /** Defaults to defaultControllerRateLimiter() on the queue's clock. */
  readonly rateLimiter?: RateLimiter;
}

export class RateLimitingQueue extends DelayingQueue {
  private readonly rateLimiter: RateLimiter;

  constructor(options: RateLimitingQueueOptions = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
  }

  /** Adds `key` after the delay the rate limiter asks for (counting this as one more retry). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Clears `key`'s retry history. It does not remove the key from the queue. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }
}
