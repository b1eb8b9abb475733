// Watchers pull from the shared event log instead of each holding a private queue: a watcher is
// just a cursor (the next revision to look at) and a prefix. A watcher that stops consuming
// therefore costs nothing and never slows writers; the only bound on how far it may fall behind
// is the retained history. Once compaction drops events it has not read yet, its next read fails
// with CompactedError and the caller relists and re-watches — exactly what etcd does to a watcher
// whose start revision was compacted. With the default periodic compaction (every 5 minutes, to
// the revision of the previous tick) a watcher may lag between 5 and 10 minutes of writes.
import type { Watch, WatchEvent } from '../interface.js';
import { CompactedError, type StorageError } from '../errors.js';
import type { EventLog } from './event-log.js';

/** What watchers read: the shared log, up to the committed (durable) revision only. */
export interface CommittedEvents {
  readonly log: EventLog;
  committedRevision(): number;
  compactedRevision(): number;
}

export class WatchHub {
  private readonly watchers = new Set<HubWatch>();

  constructor(private readonly source: CommittedEvents) {}

  /** A watch delivering every event under `prefix` with revision > afterRevision. */
  open(prefix: string, afterRevision: number): Watch {
    const watch = new HubWatch(this.source, prefix, afterRevision, (w) => this.watchers.delete(w));
    this.watchers.add(watch);
    return watch;
  }

  /** Wakes watchers waiting for events: call after the committed revision moves. */
  notify(): void {
    for (const w of this.watchers) w.wake();
  }

  /** Ends every watch with `error` (its next read throws it). */
  failAll(error: StorageError): void {
    for (const w of [...this.watchers]) w.fail(error);
  }

  size(): number {
    return this.watchers.size;
  }
}

type Ending = { readonly kind: 'cancelled' } | { readonly kind: 'failed'; readonly error: Error };

/** An already-failed watch, for watch() calls the store cannot serve. */
export function failedWatch(error: Error): Watch {
  let thrown = false;
  return {
    cancel: () => void (thrown = true),
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<WatchEvent>> => {
        if (thrown) return { done: true, value: undefined };
        thrown = true;
        throw error;
      },
      return: async (): Promise<IteratorResult<WatchEvent>> => {
        thrown = true;
        return { done: true, value: undefined };
      },
    }),
  };
}

class HubWatch implements Watch {
  /** The next revision to examine. */
  private cursor: number;
  private ending: Ending | undefined;
  /** Resolvers of next() calls waiting for events (usually one; the protocol allows more). */
  private sleepers: (() => void)[] = [];

  constructor(
    private readonly source: CommittedEvents,
    private readonly prefix: string,
    afterRevision: number,
    private readonly onEnd: (w: HubWatch) => void,
  ) {
    this.cursor = afterRevision + 1;
    // Checked now, not at the first read: a compaction between watch() and the first next()
    // must not turn a valid start into a silent gap.
    if (this.cursor < source.log.firstRevision()) this.failCompacted();
  }

  cancel(): void {
    this.end({ kind: 'cancelled' });
  }

  fail(error: Error): void {
    this.end({ kind: 'failed', error });
  }

  wake(): void {
    const sleepers = this.sleepers;
    this.sleepers = [];
    for (const wakeUp of sleepers) wakeUp();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => this.next(),
      return: async (): Promise<IteratorResult<WatchEvent>> => {
        this.cancel();
        return { done: true, value: undefined };
      },
    };
  }

  private async next(): Promise<IteratorResult<WatchEvent>> {
    for (;;) {
      const ending = this.ending;
      if (ending?.kind === 'failed') {
        // Throw once; afterwards the watch is simply finished.
        this.ending = { kind: 'cancelled' };
        throw ending.error;
      }
      if (ending) return { done: true, value: undefined };
      const event = this.nextCommittedEvent();
      if (event) return { done: false, value: event };
      if (!this.ending) await new Promise<void>((resolve) => this.sleepers.push(resolve));
    }
  }

  /** The next committed event under the prefix, or undefined when caught up (or now failed). */
  private nextCommittedEvent(): WatchEvent | undefined {
    const committed = this.source.committedRevision();
    const log = this.source.log;
    while (this.cursor <= committed) {
      if (this.cursor < log.firstRevision()) {
        this.failCompacted();
        return undefined;
      }
      const event = log.at(this.cursor);
      this.cursor++;
      if (event && event.kv.key.startsWith(this.prefix)) return event;
    }
    return undefined;
  }

  private failCompacted(): void {
    this.fail(new CompactedError(this.cursor - 1, this.source.compactedRevision()));
  }

  private end(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.onEnd(this);
    this.wake();
  }
}
