// Per-key exponential back-off, as Kubernetes' flowcontrol.Backoff used by the kubelet for
// CrashLoopBackOff and ImagePullBackOff: the first delay is `baseMs`, each next one doubles up to
// `capMs`, and a key left alone for `resetAfterMs` (10 minutes: a container that ran that long
// was healthy) starts again from the base. Time is passed in, so the class is plain data.

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
  readonly resetAfterMs: number;
}

export const CRASH_LOOP_BACKOFF: BackoffOptions = {
  baseMs: 10_000,
  capMs: 5 * 60_000,
  resetAfterMs: 10 * 60_000,
};

interface Entry {
  delayMs: number;
  /** When the delay was last set. */
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly options: BackoffOptions = CRASH_LOOP_BACKOFF) {}

  /** Records one more failure of `key` at `now`: the delay grows (or restarts from the base). */
  next(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > this.options.resetAfterMs) {
      this.entries.set(key, { delayMs: this.options.baseMs, lastUpdate: now });
      return this.options.baseMs;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, this.options.capMs);
    entry.lastUpdate = now;
    return entry.delayMs;
  }

  /**
   * How much longer `key` must wait after an event at `eventTime` (a container's exit): 0 when
   * it may go again. A key not failed recently is never in back-off.
   */
  remaining(key: string, eventTime: number, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > this.options.resetAfterMs) return 0;
    return Math.max(0, eventTime + entry.delayMs - now);
  }

  /** The current delay of `key`, 0 if none (for messages: "back-off 20s restarting …"). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Forgets `key` (its pod is gone). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key that starts with `prefix` (all containers of one pod). */
  resetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
