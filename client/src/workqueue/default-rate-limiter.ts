// The retry policy controllers get unless they choose another, client-go's
// DefaultControllerRateLimiter: per-key exponential backoff from 5 ms to 1000 s, and across all
// keys no more than 10 retries a second after a burst of 100.
import { type Clock, realClock } from '@skiff/api';
import { BucketRateLimiter } from './bucket-rate-limiter.js';
import { ItemExponentialFailureRateLimiter } from './exponential-rate-limiter.js';
import { MaxOfRateLimiter } from './max-of-rate-limiter.js';
import { type RateLimiter } from './rate-limiter.js';

export const DEFAULT_BASE_DELAY_MS = 5;
export const DEFAULT_MAX_DELAY_MS = 1000 * 1000;
export const DEFAULT_QPS = 10;
export const DEFAULT_BURST = 100;

export function defaultControllerRateLimiter(clock: Clock = realClock): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS),
    new BucketRateLimiter(DEFAULT_QPS, DEFAULT_BURST, clock),
  );
}
