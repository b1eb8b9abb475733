// client-go's EventAggregator: a controller that reports a different message each time about
// the same object and reason ("failed to pull image: <some detail>") would make one Event per
// message. After MAX_SIMILAR distinct messages within the window, further ones are folded into
// a single "(combined from similar events)" Event whose count grows instead.
import type { Event } from '@skiff/api';
import { aggregateKey, eventKey } from './keys.js';
import { LruCache } from './lru.js';
import { rfc3339, type EventNamer } from './make-event.js';

export const COMBINED_PREFIX = '(combined from similar events): ';

export interface AggregatorOptions {
  /** Distinct messages for one object and reason before they are combined (client-go: 10). */
  readonly maxSimilar: number;
  /** A group with nothing new for this long starts over (client-go: 10 minutes). */
  readonly windowMs: number;
  readonly cacheSize: number;
}

interface SimilarEvents {
  readonly messages: Set<string>;
  lastSeen: number;
}

export interface Aggregated {
  readonly event: Event;
  /** Which Event repeats of this one are counted on (see EventLogger). */
  readonly key: string;
}

export class EventAggregator {
  private readonly groups: LruCache<SimilarEvents>;

  constructor(
    private readonly namer: EventNamer,
    private readonly options: AggregatorOptions,
  ) {
    this.groups = new LruCache(options.cacheSize);
  }

  /** `now` is when the event happened. */
  aggregate(event: Event, now: number): Aggregated {
    const key = aggregateKey(event);
    let group = this.groups.get(key);
    if (!group || now - group.lastSeen > this.options.windowMs) {
      group = { messages: new Set(), lastSeen: now };
    }
    group.messages.add(event.message ?? '');
    group.lastSeen = now;
    this.groups.set(key, group);
    if (group.messages.size < this.options.maxSimilar) return { event, key: eventKey(event) };

    // Keep the set from growing: it only needs to stay at the threshold.
    const first = group.messages.values().next();
    if (!first.done) group.messages.delete(first.value);
    const time = rfc3339(now);
    return {
      key,
      event: {
        ...event,
        metadata: {
          name: this.namer.name(event.involvedObject.name ?? '', now),
          namespace: event.metadata.namespace,
        },
        message: COMBINED_PREFIX + (event.message ?? ''),
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
      },
    };
  }
}
