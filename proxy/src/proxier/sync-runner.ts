// When syncs run (kube-proxy's BoundedFrequencyRunner), for the proxy and the pod network alike:
// a change asks for a sync, which runs at once unless the last one started less than
// minSyncPeriod ago — then it waits, and every change in between rides along. One sync at a
// time: changes during a sync make exactly one more. At most every syncPeriod a full resync runs
// anyway, repairing what anyone else did to the kernel's state. A sync can also ask for another
// one later (`requestAfter`: nftables deletes the chains it flushed a moment ago). Timers are on
// the injected clock.
import type { Clock, Timer } from '@skiff/api';

/**
 * What a failed sync leads to — each caller's, stated where it builds its runner.
 * - `retry-in-full`: another sync, in full, once minSyncPeriod has passed since the failed one
 *   started; `syncNow` callers wait for it. The proxy: a sync consumes the changes it was given,
 *   so after a failure only a full sync knows them again.
 * - `wait-for-next-sync`: nothing of its own; the next change or the periodic resync runs again,
 *   and `syncNow` callers are released (the caller reports the failure in its status). The pod
 *   network: each sync recomputes everything, so retrying with nothing changed would mostly
 *   fail the same way, once per minSyncPeriod, in the log.
 */
export type SyncFailurePolicy = 'retry-in-full' | 'wait-for-next-sync';

export interface SyncRunnerOptions {
  readonly clock: Clock;
  readonly minSyncPeriodMs: number;
  readonly syncPeriodMs: number;
  /** Runs one sync; `full` asks for a full one. */
  readonly sync: (full: boolean) => Promise<void>;
  readonly onFailure: SyncFailurePolicy;
  readonly onError: (err: unknown) => void;
}

export class SyncRunner {
  private lastStart = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private pending = false;
  private fullPending = false;
  private soon: Timer | undefined;
  private later: { readonly at: number; readonly timer: Timer } | undefined;
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

  /** Asks for a sync `delayMs` from now (or sooner, should anything else ask for one). */
  requestAfter(delayMs: number): void {
    if (this.stopped) return;
    const { clock } = this.options;
    const at = clock.now() + delayMs;
    if (this.later && this.later.at <= at) return;
    this.later?.timer.cancel();
    this.later = {
      at,
      timer: clock.setTimer(delayMs, () => {
        this.later = undefined;
        this.request();
      }),
    };
  }

  /** Waits for the sync in progress, if any. */
  async idle(): Promise<void> {
    await this.running;
  }

  /**
   * Asks for a sync and resolves once one that started after this call has succeeded (with
   * `wait-for-next-sync`: has ended, even in failure).
   */
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

  /** No sync starts after this; one in progress ends on its own (`idle()` waits for it). */
  stop(): void {
    this.stopped = true;
    this.soon?.cancel();
    this.later?.timer.cancel();
    this.periodic?.cancel();
  }

  private async runOnce(): Promise<void> {
    const { clock, syncPeriodMs, onFailure } = this.options;
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
      this.options.onError(err);
      if (onFailure === 'retry-in-full') {
        this.waiters.unshift(...waiting);
        this.fullPending = true;
        this.pending = true;
      } else {
        for (const resolve of waiting) resolve();
      }
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
