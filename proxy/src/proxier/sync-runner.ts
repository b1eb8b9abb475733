// When syncs run (kube-proxy's BoundedFrequencyRunner): a change asks for a sync, which runs at
// once unless the last one started less than minSyncPeriod ago — then it waits, and every change
// in between rides along. At most every syncPeriod a full resync runs anyway, repairing what
// anyone else did to the rules. One sync at a time; a failed sync is retried, in full, after
// minSyncPeriod. Timers are on the injected clock.
import type { Clock, Timer } from '@skiff/api';

export interface SyncRunnerOptions {
  readonly clock: Clock;
  readonly minSyncPeriodMs: number;
  readonly syncPeriodMs: number;
  /** Runs one sync; `full` asks for a full one. A rejection is retried. */
  readonly sync: (full: boolean) => Promise<void>;
  readonly onError: (err: unknown) => void;
}

export class SyncRunner {
  private lastStart = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private pending = false;
  private fullPending = false;
  private soon: Timer | undefined;
  private periodic: Timer | undefined;
  private stopped = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: SyncRunnerOptions) {}

  /** Asks for a sync (partial unless `full`). */
  request(full = false): void {
    if (this.stopped) return;
    this.fullPending ||= full;
    if (this.running) {
      this.pending = true;
      return;
    }
    if (this.soon) return;
    const { clock, minSyncPeriodMs } = this.options;
    const wait = Math.max(0, this.lastStart + minSyncPeriodMs - clock.now());
    this.soon = clock.setTimer(wait, () => {
      this.soon = undefined;
      this.running = this.runOnce();
    });
  }

  /** Waits for the sync in progress, if any. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Asks for a sync and resolves once one that started after this call has succeeded. */
  syncNow(full = false): Promise<void> {
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.running) {
      // The sync in progress may have missed what the caller just changed: run another.
      this.pending = true;
      this.fullPending ||= full;
    } else {
      this.request(full);
    }
    return done;
  }

  stop(): void {
    this.stopped = true;
    this.soon?.cancel();
    this.periodic?.cancel();
  }

  private async runOnce(): Promise<void> {
    const { clock, syncPeriodMs } = this.options;
    this.lastStart = clock.now();
    const full = this.fullPending;
    this.fullPending = false;
    this.periodic?.cancel();
    const waiting = this.waiters;
    this.waiters = [];
    try {
      await this.options.sync(full);
      for (const resolve of waiting) resolve();
    } catch (err) {
      this.waiters.unshift(...waiting);
      this.options.onError(err);
      this.fullPending = true;
      this.pending = true;
    }
    this.running = undefined;
    if (this.stopped) return;
    this.periodic = clock.setTimer(syncPeriodMs, () => this.request(true));
    if (this.pending) {
      this.pending = false;
      this.request();
    }
  }
}
