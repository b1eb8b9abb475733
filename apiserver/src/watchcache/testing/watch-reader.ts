// Reads a cache watch step by step in tests. Waits are bounded (real time, generous) only so that
// a missing event fails the test with a count instead of hanging it; no test logic depends on it.
import { withTimeout } from '../../storage/testing/storage-test-helpers.js';
import type { CacheWatch } from '../cache-watcher.js';
import type { CacheWatchEvent } from '../cache-event.js';
import type { Widget } from './widgets.js';

const TIMEOUT_MS = 10_000;

/** A comparable picture of an event: `ADDED default/a@12 size=1` or `BOOKMARK @15`. */
export function describeEvent(event: CacheWatchEvent<Widget>): string {
  const { metadata } = event.object;
  if (event.type === 'BOOKMARK') return `BOOKMARK @${metadata.resourceVersion}`;
  const w = event.object;
  const ns = w.metadata.namespace ? `${w.metadata.namespace}/` : '';
  return `${event.type} ${ns}${w.metadata.name}@${metadata.resourceVersion}`;
}

export class CacheWatchReader {
  private readonly iterator: AsyncIterator<CacheWatchEvent<Widget>>;

  constructor(readonly watch: CacheWatch<Widget>) {
    this.iterator = watch[Symbol.asyncIterator]();
  }

  /** The next `count` events as pictures. */
  async take(count: number): Promise<string[]> {
    return (await this.takeEvents(count)).map(describeEvent);
  }

  async takeEvents(count: number): Promise<CacheWatchEvent<Widget>[]> {
    const events: CacheWatchEvent<Widget>[] = [];
    while (events.length < count) {
      const next = await withTimeout(
        this.iterator.next(),
        TIMEOUT_MS,
        `${events.length} of ${count} events arrived`,
      );
      if (next.done) throw new Error(`watch ended after ${events.length} of ${count} events`);
      events.push(next.value);
    }
    return events;
  }

  /** The error the watch ends with, after any events before it; fails if it ends normally. */
  async failure(): Promise<Error> {
    for (;;) {
      let next: IteratorResult<CacheWatchEvent<Widget>>;
      try {
        next = await withTimeout(this.iterator.next(), TIMEOUT_MS, 'the watch did not fail');
      } catch (err) {
        if (err instanceof Error) return err;
        throw new Error(`watch failed with a non-Error: ${String(err)}`, { cause: err });
      }
      if (next.done) throw new Error('watch ended without an error');
    }
  }

  /** True if the watch ends normally with no further event. */
  async ended(): Promise<boolean> {
    const next = await withTimeout(this.iterator.next(), TIMEOUT_MS, 'the watch did not end');
    return next.done === true;
  }
}
