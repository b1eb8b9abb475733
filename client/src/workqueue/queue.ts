// The work queue controllers are built on (client-go's workqueue.Type): a queue of keys with
// the dirty/processing rule. See README.md in this folder for why it holds keys, not objects.
import { type Clock, realClock } from '@skiff/api';
import { type Registry } from 'prom-client';
import { Fifo } from './fifo.js';
import { queueMetrics, type QueueMetrics } from './metrics.js';

/** What `get()` resolves with: a key to work on, or the news that the queue has shut down. */
export type QueueItem =
  { readonly shutdown: false; readonly key: string } | { readonly shutdown: true };

export interface WorkQueueOptions {
  /** Names the queue's metrics (the `name` label). A queue without a name reports no metrics. */
  readonly name?: string;
  /** Source of time for metrics (and for delays, in the queues built on this one). */
  readonly clock?: Clock;
  /** Registry for the metrics; prom-client's global registry by default. */
  readonly registry?: Registry;
}

const SHUTDOWN: QueueItem = { shutdown: true };

export class WorkQueue {
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics;

  // The three sets of the dirty/processing rule:
  //  - `dirty`: keys that need processing (whether or not they sit in `queue` yet);
  //  - `processing`: keys a worker holds right now, between get() and done();
  //  - `queue`: the order in which dirty keys that nobody holds will be handed out.
  // A key that is dirty *and* processing is kept out of `queue` until its worker calls done(),
  // so no two workers ever hold the same key and the later change is still seen.
  private readonly queue = new Fifo();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();

  /** Workers blocked in get(), first come first served. Only non-empty while `queue` is empty. */
  private readonly waitingWorkers: ((item: QueueItem) => void)[] = [];
  /** Callers of shutDownWithDrain() waiting for `processing` to empty. */
  private readonly drainWaiters: (() => void)[] = [];
  private shutdownRequested = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.metrics = queueMetrics({
      name: options.name,
      registry: options.registry,
      clock: this.clock,
    });
  }

  /**
   * Marks `key` as needing work. A key already waiting is not queued twice; a key being
   * processed is queued again when its worker calls done(). Ignored once the queue shuts down.
   */
  add(key: string): void {
    if (this.shutdownRequested) return;
    if (this.dirty.has(key)) return;
    this.metrics.add(key);
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOutToWaitingWorkers();
  }

  /** Number of keys waiting to be handed out (keys being processed are not counted). */
  len(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the next key once one is available. The caller now holds the key and must
   * call done(key) when finished, whether the work succeeded or not. After shutdown, keys still
   * queued are handed out first; then every call resolves with `{ shutdown: true }`.
   */
  get(): Promise<QueueItem> {
    const key = this.takeNext();
    if (key !== undefined) return Promise.resolve({ shutdown: false, key });
    if (this.shutdownRequested) return Promise.resolve(SHUTDOWN);
    return new Promise((resolve) => this.waitingWorkers.push(resolve));
  }

  /**
   * Releases `key` after processing. If it was added again meanwhile it goes back in the queue
   * now. A done() for a key nobody holds is ignored, so calling it twice cannot queue a key twice.
   */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    this.metrics.done(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOutToWaitingWorkers();
    }
    this.settleIfDrained();
  }

  /** Stops accepting keys and releases every worker blocked in get(); does not wait for work. */
  shutDown(): void {
    this.beginShutdown();
    // A later shutDown() cancels the wait of an earlier shutDownWithDrain(), as in client-go.
    this.releaseDrainWaiters();
  }

  /**
   * Stops accepting keys, releases idle workers, and resolves once the work already accepted is
   * finished: every queued key handed out and every handed-out key marked done. Workers must
   * keep calling get() until it reports shutdown (otherwise this never resolves; a later
   * shutDown() stops the wait).
   */
  shutDownWithDrain(): Promise<void> {
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.beginShutdown();
    return drained;
  }

  shuttingDown(): boolean {
    return this.shutdownRequested;
  }

  private beginShutdown(): void {
    this.shutdownRequested = true;
    // Workers only wait while the queue is empty, so each of them learns about the shutdown.
    for (const resolve of this.waitingWorkers.splice(0)) resolve(SHUTDOWN);
    this.settleIfDrained();
  }

  // Client-go waits only for in-flight keys; it documents the intent as "all existing items in
  // the queue" done, and in JavaScript the worker that calls done() takes its next key only
  // after the drain would already have been reported. So a drain here also waits for the queue.
  private settleIfDrained(): void {
    if (!this.shutdownRequested || this.processing.size > 0 || this.queue.length > 0) return;
    this.releaseDrainWaiters();
    this.metrics.release();
  }

  private releaseDrainWaiters(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Moves the next queued key to `processing`; the caller hands it to exactly one worker. */
  private takeNext(): string | undefined {
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.processing.add(key);
    this.dirty.delete(key);
    this.metrics.get(key);
    return key;
  }

  private handOutToWaitingWorkers(): void {
    while (this.waitingWorkers.length > 0) {
      const key = this.takeNext();
      if (key === undefined) return;
      const resolve = this.waitingWorkers.shift();
      resolve?.({ shutdown: false, key });
    }
  }
}
