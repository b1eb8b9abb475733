// A token bucket with client-go's flowcontrol semantics (golang.org/x/time/rate underneath): it
// holds up to `burst` tokens and refills at `qps` tokens per second. Both of the client's limits
// are this bucket: the REST client's request throttle (a caller waits for its token) and the
// workqueue's overall retry limit (a caller is told how long until its token).
//
// Like x/time/rate's Reserve(), a reservation never refuses: it takes a token even when the bucket
// is empty (the count goes negative) and says how long until that token has been refilled. So
// waiting callers are served in arrival order, and the N-th caller past the burst waits N / qps s.
//
// A clock that steps backwards (an NTP correction, a FakeClock moved back) neither drains nor
// mints tokens: the bucket keeps what it had and refills from the new time on, as x/time/rate
// does. Draining would stall every caller for as long as the step; waiting for the clock to catch
// up with the old time would stop refilling for that long.
import type { Clock } from '../clock/index.js';

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  /** Full at `startAt` (the clock's now by default). */
  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock,
    startAt: number = clock.now(),
  ) {
    if (!(qps > 0) || !(burst >= 1)) {
      throw new RangeError(`token bucket needs qps > 0 and burst >= 1, got ${qps}, ${burst}`);
    }
    this.tokens = burst;
    this.refilledAt = startAt;
  }

  /**
   * Takes a token if a whole one is there at `now` (the clock's time by default; a caller that
   * works on recorded times, like the event spam filter, passes them); never waits, never goes
   * into debt.
   */
  tryAccept(now: number = this.clock.now()): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes a token now, in debt if need be; returns the ms until it is really there (0: now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  /** Hands back a reserved token nobody will use, to the callers queued behind it. */
  unreserve(): void {
    this.refill();
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /**
   * Resolves when the caller's token is there; rejects with the signal's reason on abort, and
   * then the token goes back to those queued behind.
   */
  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const delayMs = this.reserve();
    if (delayMs <= 0) return;
    try {
      // Rounded up: a caller woken a fraction of a millisecond early would find no token.
      await this.clock.sleep(Math.ceil(delayMs), signal);
    } catch (err) {
      this.unreserve();
      throw err;
    }
  }

  private refill(now: number = this.clock.now()): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
    this.refilledAt = now;
  }
}
