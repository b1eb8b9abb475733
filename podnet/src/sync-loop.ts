// One sync at a time, however many changes arrive: a change during a sync marks the state dirty
// and one more sync follows, so a burst of Node events costs two syncs, not one per event. A
// periodic resync (on the injected clock) repairs whatever someone else changed in the kernel;
// a failed sync is retried at the next change or period.
import type { Clock, Timer } from '@skiff/api';

export class SyncLoop {
  private running: Promise<void> | undefined;
  private dirty = false;
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
    private readonly sync: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Asks for a sync; resolves once a sync that started after this call has finished. */
  request(): Promise<void> {
    this.dirty = true;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      this.timer?.cancel();
      try {
        await this.sync();
      } catch (err) {
        this.onError(err);
      }
      if (!this.stopped) this.timer = this.clock.setTimer(this.periodMs, () => void this.request());
    }
  }
}
