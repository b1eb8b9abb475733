// Per-key back-off with "in back-off since" questions, as Kubernetes' flowcontrol.Backoff that the
// kubelet uses for CrashLoopBackOff and ImagePullBackOff: the first delay is `baseMs`, each next
// one doubles up to `capMs` (the delays come from @skiff/api's backoffDelay, like every other
// back-off), and a key left alone for `resetAfterMs` (10 minutes: a container that ran that long
// was healthy) starts again from the base. Time is passed in, so the class is plain data.
import { backoffDelay } from '@skiff/api';

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
  /** Failures counted since the last reset: the delay is backoffDelay(…, steps - 1). */
  steps: number;
  delayMs: number;
  /** When the delay was last set. */
  lastUpdate: number;
}

export class KeyedBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly options: BackoffOptions = CRASH_LOOP_BACKOFF) {}

  /** Records one more failure of `key` at `now`: the delay grows (or restarts from the base). */
  next(key: string, now: number): number {
    const entry = this.entries.get(key);
    const fresh = !entry || now - entry.lastUpdate > this.options.resetAfterMs;
    const steps = fresh ? 0 : entry.steps;
    const delayMs = backoffDelay(
      { durationMs: this.options.baseMs, capMs: this.options.capMs },
      steps,
    );
    this.entries.set(key, { steps: steps + 1, delayMs, lastUpdate: now });
    return delayMs;
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

  /**
   * How much longer `key` must wait since its last failure (upstream's IsInBackOffSince(now)):
   * used where the failure itself is the event, as for image pulls.
   */
  remainingSinceLastFailure(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return this.remaining(key, entry.lastUpdate, now);
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
