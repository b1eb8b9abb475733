// How long a key should wait before it is retried. Limiters are small and composable: one per
// policy (per-key backoff, overall rate, fast-then-slow), combined with MaxOfRateLimiter.

export interface RateLimiter {
  /**
   * Milliseconds `key` should wait before its next attempt. Calling it *is* the failure being
   * counted (or the token being taken), so call it once per retry.
   */
  when(key: string): number;
  /** Forgets `key`'s failures, e.g. after it was processed successfully. */
  forget(key: string): void;
  /** How many times `key` has been retried since it was last forgotten. */
  numRequeues(key: string): number;
}
