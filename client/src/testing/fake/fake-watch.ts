// A watch fed by the object tracker: events are queued in the order the tracker made them and
// handed to the one reader; stop() (or the caller's signal) ends the iteration after what was
// already queued, as a closed server stream does.
import type { Watch, WatchEvent } from '../../rest/watch.js';

export class FakeWatch<T> implements Watch<T> {
  private readonly queue: WatchEvent<T>[] = [];
  private wake: (() => void) | undefined;
  private stopped = false;
  private iterated = false;

  constructor(
    private readonly onStop: () => void,
    signal?: AbortSignal,
  ) {
    if (signal?.aborted) this.stopped = true;
    signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Called by the tracker for each event this watch selects. */
  push(event: WatchEvent<T>): void {
    if (this.stopped) return;
    this.queue.push(event);
    this.wakeReader();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
    this.wakeReader();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.iterated) throw new Error('a watch can be read only once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<WatchEvent<T>> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.stopped) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.stop();
    }
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
