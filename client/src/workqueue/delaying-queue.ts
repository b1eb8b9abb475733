// A work queue that can also hold a key back for a while (client-go's DelayingInterface): the
// basis of retries with backoff and of "look again in 30 s" (requeueAfter).
import { type Timer } from '@skiff/api';
import { WorkQueue } from './queue.js';
import { WaitingHeap } from './waiting-heap.js';

export class DelayingQueue extends WorkQueue {
  private readonly waiting = new WaitingHeap();
  // One timer, for the earliest waiting key only: thousands of delayed keys cost one pending
  // timer, and re-arming it is needed only when the earliest due time changes.
  private timer: Timer | undefined;
  private timerDueAt: number | undefined;

  /**
   * Adds `key` once `ms` milliseconds have passed (at once if `ms` <= 0). If the key is already
   * waiting, the earlier of the two due times wins. Ignored once the queue shuts down.
   */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown()) return;
    this.metrics.retry();
    if (ms <= 0) {
      this.add(key);
      return;
    }
    this.waiting.schedule(key, this.clock.now() + ms);
    this.armTimer();
  }

  /** Keys held back, not yet due. */
  waitingLen(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    this.stopWaiting();
    super.shutDown();
  }

  override shutDownWithDrain(): Promise<void> {
    this.stopWaiting();
    return super.shutDownWithDrain();
  }

  // Keys still held back when the queue shuts down are dropped: nobody will process them, and
  // a controller rebuilds its work from the cluster's state when it starts again.
  private stopWaiting(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDueAt = undefined;
    this.waiting.clear();
  }

  private armTimer(): void {
    const dueAt = this.waiting.earliestReadyAt();
    if (dueAt === this.timerDueAt) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDueAt = dueAt;
    if (dueAt === undefined) return;
    this.timer = this.clock.setTimer(dueAt - this.clock.now(), () => this.addReadyKeys());
  }

  private addReadyKeys(): void {
    this.timer = undefined;
    this.timerDueAt = undefined;
    for (const key of this.waiting.takeReady(this.clock.now())) this.add(key);
    this.armTimer();
  }
}
