// Waiting for a log file to grow while following it: an fs watch wakes the follower as soon as
// the runtime writes, and a timer bounds every wait, because a watch can miss events (some
// filesystems, a file replaced by rotation) and the follower must also notice that the container
// stopped. So there is no busy loop, and no missed line waits longer than one period.
import { watch, type FSWatcher } from 'node:fs';
import type { Clock } from '@skiff/api';

export class FileChangeWaiter {
  private watcher: FSWatcher | undefined;
  private changed = false;
  private wake: (() => void) | undefined;

  constructor(
    path: string,
    private readonly clock: Clock,
    onWatchError: (err: unknown) => void,
  ) {
    try {
      this.watcher = watch(path, { persistent: false }, () => this.notify());
      this.watcher.on('error', (err) => {
        onWatchError(err);
        this.close();
      });
    } catch (err) {
      // No watch (the file is not there yet, or the platform refuses): the timer alone paces.
      onWatchError(err);
    }
  }

  /** Resolves when the file changed since the last wait, after `maxMs`, or on abort. */
  wait(maxMs: number, signal: AbortSignal): Promise<void> {
    if (this.changed || signal.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        timer.cancel();
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = this.clock.setTimer(maxMs, done);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private notify(): void {
    this.changed = true;
    this.wake?.();
  }
}
