// client-go's eventLogger: remembers, per repeat key, which Event on the server counts the
// repeats and how many there were, so a repeat becomes a small PATCH of that Event (count,
// lastTimestamp, message) instead of a new object: one `kubectl describe` line saying
// "x12 over 5m", not twelve.
import type { Event, Time } from '@skiff/api';
import { LruCache } from './lru.js';

/** The fields a repeat changes, sent as a JSON merge patch. */
export interface EventPatch {
  readonly count: number;
  readonly lastTimestamp: Time | undefined;
  readonly message: string | undefined;
}

interface Observation {
  readonly name: string;
  readonly count: number;
  readonly firstTimestamp: Time | undefined;
}

export interface Observed {
  readonly event: Event;
  /** Set for a repeat: patch the Event named event.metadata.name instead of creating one. */
  readonly patch?: EventPatch;
}

export class EventLogger {
  private readonly seen: LruCache<Observation>;

  constructor(cacheSize: number) {
    this.seen = new LruCache(cacheSize);
  }

  /**
   * Counts the event under `key`. Counted even if the spam filter then holds it back, as in
   * client-go: the count says how often it happened, not how often it was written.
   */
  observe(event: Event, key: string): Observed {
    const last = this.seen.get(key);
    if (!last) {
      this.remember(key, event);
      return { event };
    }
    const repeat: Event = {
      ...event,
      metadata: { ...event.metadata, name: last.name },
      firstTimestamp: last.firstTimestamp,
      count: last.count + 1,
    };
    this.remember(key, repeat);
    return {
      event: repeat,
      patch: { count: last.count + 1, lastTimestamp: event.lastTimestamp, message: event.message },
    };
  }

  /** What the server answered: the name and count it now has (a re-created Event restarts). */
  written(key: string, event: Event): void {
    this.remember(key, event);
  }

  private remember(key: string, event: Event): void {
    this.seen.set(key, {
      name: event.metadata.name ?? '',
      count: event.count ?? 1,
      firstTimestamp: event.firstTimestamp,
    });
  }
}
