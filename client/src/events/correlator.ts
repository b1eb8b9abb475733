// client-go's EventCorrelator: aggregate similar events, count repeats, then drop what the
// spam filter refuses, in that order, so the filter sees the event that would be written.
// Time is when each event happened (not when the writer got to it), so a backlog in the
// recorder's queue changes nothing about which events are grouped or dropped.
import type { Clock, Event } from '@skiff/api';
import { EventAggregator } from './aggregator.js';
import { EventLogger, type EventPatch } from './event-logger.js';
import type { EventNamer } from './make-event.js';
import { SpamFilter } from './spam-filter.js';

export interface CorrelationOptions {
  /** Distinct messages about one object and reason before they are combined (10). */
  readonly maxSimilarEvents?: number;
  /** How long similar events are grouped for (10 minutes). */
  readonly similarWindowMs?: number;
  /** Events allowed at once per source and object (25). */
  readonly spamBurst?: number;
  /** One more allowed every this many ms (5 minutes). */
  readonly spamRefillEveryMs?: number;
  /** Entries each cache keeps (4096). */
  readonly cacheSize?: number;
}

export interface Correlated {
  readonly event: Event;
  readonly key: string;
  readonly patch?: EventPatch;
}

export class EventCorrelator {
  private readonly aggregator: EventAggregator;
  private readonly logger: EventLogger;
  private readonly spamFilter: SpamFilter;

  constructor(namer: EventNamer, clock: Clock, options: CorrelationOptions = {}) {
    const cacheSize = options.cacheSize ?? 4096;
    this.aggregator = new EventAggregator(namer, {
      maxSimilar: options.maxSimilarEvents ?? 10,
      windowMs: options.similarWindowMs ?? 10 * 60_000,
      cacheSize,
    });
    this.logger = new EventLogger(cacheSize);
    this.spamFilter = new SpamFilter({
      burst: options.spamBurst ?? 25,
      refillEveryMs: options.spamRefillEveryMs ?? 5 * 60_000,
      cacheSize,
      clock,
    });
  }

  /** What to write for an event that happened at `now`, or undefined to drop it as spam. */
  correlate(event: Event, now: number): Correlated | undefined {
    const aggregated = this.aggregator.aggregate(event, now);
    const observed = this.logger.observe(aggregated.event, aggregated.key);
    if (!this.spamFilter.allow(observed.event, now)) return undefined;
    return { ...observed, key: aggregated.key };
  }

  /** Records what the server now holds for `key`, so the next repeat patches the right Event. */
  written(key: string, event: Event): void {
    this.logger.written(key, event);
  }
}
