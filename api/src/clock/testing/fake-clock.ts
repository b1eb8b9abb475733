// A clock that only moves when a test says so. Timers due at or before the new time fire in
// due-time order (ties in creation order) during advance(), so tests are deterministic.
import { sleepOn, type Clock, type Timer } from '../clock.js';

interface PendingTimer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];
  private timerWaiters: { readonly count: number; readonly resolve: () => void }[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const timer: PendingTimer = {
      due: this.current + Math.max(0, ms),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.timers.push(timer);
    this.wakeTimerWaiters();
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Resolves once at least `count` timers are pending: the code under test has parked on this
   * clock (a backoff sleep, a poll) and will do nothing more until time moves. A test awaits
   * this before advance() instead of giving the code some wall-clock time to get there, which
   * a busy machine may not give it.
   */
  waitForTimers(count = 1): Promise<void> {
    if (this.pendingTimers() >= count) return Promise.resolve();
    return new Promise((resolve) => this.timerWaiters.push({ count, resolve }));
  }

  /**
   * Move time forward by `ms`, firing due timers one at a time. Between timers it yields to the
   * microtask queue so promise continuations (e.g. a loop that awaits sleep) can schedule the
   * next timer before time moves past it.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = next.due;
      this.timers = this.timers.filter((t) => t !== next);
      next.fn();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  private wakeTimerWaiters(): void {
    if (this.timerWaiters.length === 0) return;
    const pending = this.pendingTimers();
    const ready = this.timerWaiters.filter((w) => pending >= w.count);
    if (ready.length === 0) return;
    this.timerWaiters = this.timerWaiters.filter((w) => pending < w.count);
    for (const waiter of ready) waiter.resolve();
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.due > limit) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
