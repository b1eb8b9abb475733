// client-go's EventSourceObjectSpamFilter: a token bucket per reporting source and object, so
// one misbehaving controller cannot flood the apiserver (and etcd) with events about one object.
// Repeats count too: a patch is a write like any other. The buckets are @skiff/api's TokenBucket,
// fed the events' own times, so the filter is a function of what was recorded when.
import { TokenBucket, type Clock, type Event } from '@skiff/api';
import { spamKey } from './keys.js';
import { LruCache } from './lru.js';

export interface SpamFilterOptions {
  /** Events allowed at once for one source and object (client-go: 25). */
  readonly burst: number;
  /** One more token every this many ms (client-go: 5 minutes). */
  readonly refillEveryMs: number;
  readonly cacheSize: number;
  /** The recorder's clock (the buckets are always given the event's time). */
  readonly clock: Clock;
}

export class SpamFilter {
  private readonly buckets: LruCache<TokenBucket>;

  constructor(private readonly options: SpamFilterOptions) {
    this.buckets = new LruCache(options.cacheSize);
  }

  /** Takes a token for the event's source and object at `now`; false means drop it. */
  allow(event: Event, now: number): boolean {
    const key = spamKey(event);
    const { burst, refillEveryMs, clock } = this.options;
    const bucket =
      this.buckets.get(key) ?? new TokenBucket(1000 / refillEveryMs, burst, clock, now);
    const allowed = bucket.tryAccept(now);
    this.buckets.set(key, bucket);
    return allowed;
  }
}
