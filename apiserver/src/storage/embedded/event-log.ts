// Every write's watch event, in revision order, one per revision: the history watchers replay
// from. Because each write consumes exactly one revision, the event for revision R sits at index
// R - first, so replaying "after R" is an index, not a search. Compaction trims the front in
// step with the MVCC history, which is what bounds the memory of both.
import type { WatchEvent } from '../interface.js';

export class EventLog {
  private events: WatchEvent[] = [];
  /** Revision of events[0]; the oldest event still retained. */
  private first: number;

  constructor(firstRevision = 1) {
    this.first = firstRevision;
  }

  /** The oldest revision whose event is still available. */
  firstRevision(): number {
    return this.first;
  }

  append(event: WatchEvent): void {
    const expected = this.first + this.events.length;
    if (event.kv.modRevision !== expected) {
      throw new Error(`event for revision ${event.kv.modRevision} appended, expected ${expected}`);
    }
    this.events.push(event);
  }

  /** The event written at `revision`; undefined if compacted away or not written yet. */
  at(revision: number): WatchEvent | undefined {
    return this.events[revision - this.first];
  }

  /** Forgets the events before `revision` (the event at `revision` itself stays). */
  dropBefore(revision: number): void {
    const n = revision - this.first;
    if (n <= 0) return;
    this.events.splice(0, n);
    this.first = revision;
  }

  size(): number {
    return this.events.length;
  }
}
