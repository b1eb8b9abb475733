// The cache's recent history: the last `capacity` events, oldest first, in revision order. It is
// what lets a client resume a watch from a resourceVersion without relisting; once an event
// falls out, resuming from before it answers 410 Gone. A fixed array used as a circle keeps the
// cost of an event constant however long the cache runs.
import type { CacheEvent } from './cache-event.js';

export class EventRing<T> {
  private readonly slots: (CacheEvent<T> | undefined)[];
  /** Index of the oldest event. */
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`event ring capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<CacheEvent<T> | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends an event (revisions must increase); returns the event pushed out, if any. */
  push(event: CacheEvent<T>): CacheEvent<T> | undefined {
    const newest = this.at(this.count - 1);
    if (newest && event.revision <= newest.revision) {
      throw new RangeError(
        `event ring: revision ${event.revision} is not after the newest ${newest.revision}`,
      );
    }
    if (this.count < this.capacity) {
      this.slots[(this.start + this.count) % this.capacity] = event;
      this.count++;
      return undefined;
    }
    const evicted = this.slots[this.start];
    this.slots[this.start] = event;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** Every event with revision > `revision`, oldest first (a copy: the ring keeps moving). */
  after(revision: number): CacheEvent<T>[] {
    // Binary search for the first event past `revision`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const event = this.at(mid);
      if (event && event.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    const out: CacheEvent<T>[] = [];
    for (let i = lo; i < this.count; i++) {
      const event = this.at(i);
      if (event) out.push(event);
    }
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** The i-th oldest event. */
  private at(i: number): CacheEvent<T> | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.slots[(this.start + i) % this.capacity];
  }
}
