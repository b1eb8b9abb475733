// client-go's EventSourceObjectSpamFilter: a token bucket per reporting source and object, so
// one misbehaving controller cannot flood the apiserver (and etcd) with events about one object.
// Repeats count too: a patch is a write like any other.
import type { Event } from '@skiff/api';
import { spamKey } from './keys.js';
import { LruCache } from './lru.js';

export interface SpamFilterOptions {
  /** Events allowed at once for one source and object (client-go: 25). */
  readonly burst: number;
  /** One more token every this many ms (client-go: 5 minutes). */
  readonly refillEveryMs: number;
  readonly cacheSize: number;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class SpamFilter {
  private readonly buckets: LruCache<Bucket>;

  constructor(private readonly options: SpamFilterOptions) {
    this.buckets = new LruCache(options.cacheSize);
  }

  /** Takes a token for the event's source and object at `now`; false means drop it. */
  allow(event: Event, now: number): boolean {
    const key = spamKey(event);
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, refilledAt: now };
    if (now > bucket.refilledAt) {
      const earned = (now - bucket.refilledAt) / this.options.refillEveryMs;
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + earned);
      bucket.refilledAt = now;
    }
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}
