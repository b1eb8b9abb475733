// client-go's leader election on a Lease. Candidates poll the lease every retry period; the
// holder renews it; anyone may take it once it has not changed for leaseDuration, as measured
// on their *own* clock from when they last saw it change (never by comparing the remote
// renewTime with local time, so skewed clocks cannot cut a lease short). The leader stops
// leading, and aborts the signal its work runs under, once renewDeadline has passed since the
// last renew it sent with a renew failing since: renewDeadline < leaseDuration means that
// happens before anyone else may take over, as long as clocks run at about the same rate. A
// renew that is only *late* (a starved process, a slow answer) is not a failed one: like
// client-go, whose deadline counts from the start of each renew round, the leader keeps
// trying while the lease is certainly still its own, but no longer than leaseDuration.
// README.md in this folder says what this does not guarantee.
import {
  errorMessage,
  isConflict,
  isNotFound,
  jitter,
  sleepUnlessAborted,
  type Timer,
} from '@skiff/api';
import {
  electionConfig,
  JITTER_FACTOR,
  type ElectionConfig,
  type LeaderElectorOptions,
} from './config.js';
import { microTime, sameRecord, type LeaderElectionRecord } from './election-record.js';
import { leaderMetrics, type LeaderMetrics } from './metrics.js';

export interface LeaderElectionStatus {
  /** The holder last seen on the lease: '' when released, undefined before the first read. */
  readonly observedLeader: string | undefined;
  /** Whether this candidate is in a leading term (see isLeader() for whether it may act). */
  readonly leading: boolean;
  /** Acquire and renew attempts finished so far: lets health checks and tests see the loop move. */
  readonly attempts: number;
}

type TermEnd = 'shutdown' | 'lost';

export class LeaderElector {
  private readonly config: ElectionConfig;
  private readonly metrics: LeaderMetrics;
  /** The record as last read or written, and when (our clock) we saw it change. */
  private observed: LeaderElectionRecord | undefined;
  private observedAt = 0;
  /** When the last successful acquire or renew was *sent*. */
  private lastRenewAt: number | undefined;
  /** Whether an acquire or renew attempt has failed since the last successful one. */
  private failedSinceRenew = false;
  private leading = false;
  private running = false;
  private reportedLeader: string | undefined;
  private attempts = 0;
  private deadlineTimer: Timer | undefined;

  constructor(options: LeaderElectorOptions) {
    this.config = electionConfig(options);
    this.metrics = leaderMetrics(this.config.name, this.config.registry);
  }

  get identity(): string {
    return this.config.lock.identity;
  }

  /**
   * True only while this candidate leads AND its last successful renew is less than the renew
   * deadline ago on the clock. Check it right before an action that must not happen twice: a
   * process that was paused (GC, SIGSTOP, a suspended VM) learns here, before its timers have
   * had a chance to run, that it may no longer act.
   */
  isLeader(): boolean {
    return (
      this.leading &&
      this.lastRenewAt !== undefined &&
      this.config.clock.now() < this.lastRenewAt + this.config.renewDeadlineMs
    );
  }

  /** The holder last seen on the lease, if any. */
  getLeader(): string | undefined {
    return this.observed?.holderIdentity || undefined;
  }

  status(): LeaderElectionStatus {
    return {
      observedLeader: this.observed?.holderIdentity,
      leading: this.leading,
      attempts: this.attempts,
    };
  }

  /**
   * Stands for election until this candidate leads, then leads until `signal` aborts (a clean
   * shutdown: the lease is released if releaseOnCancel) or leadership is lost. Resolves when
   * either is over; it does not stand again by itself. Most programs should exit when leading
   * was lost, as kube-controller-manager does, since what they knew as leader may be stale.
   */
  async run(signal: AbortSignal = new AbortController().signal): Promise<void> {
    if (this.running)
      throw new Error(`leader election ${this.config.lock.describe()}: already running`);
    this.running = true;
    try {
      if (!(await this.acquire(signal))) return;
      if (signal.aborted) {
        // Shut down while the winning write was in flight: hand the lease straight back.
        if (this.config.releaseOnCancel) await this.release();
        return;
      }
      await this.lead(signal);
    } finally {
      this.running = false;
    }
  }

  /** Tries every retry period (with jitter, so candidates spread out) until it holds the lease. */
  private async acquire(shutdown: AbortSignal): Promise<boolean> {
    const { retryPeriodMs, random } = this.config;
    for (;;) {
      if (shutdown.aborted) return false;
      // The shutdown signal cancels a request in flight: if a winning write was applied but
      // its answer lost, others wait one lease duration, as after a crash.
      if (await this.tryAcquireOrRenew(shutdown)) return true;
      await sleepUnlessAborted(
        this.config.clock,
        jitter(retryPeriodMs, JITTER_FACTOR, random),
        shutdown,
      );
    }
  }

  private async lead(shutdown: AbortSignal): Promise<void> {
    const { callbacks, releaseOnCancel, log } = this.config;
    const term = new AbortController();
    this.leading = true;
    this.metrics.leading(true);
    this.armDeadline(term);
    const work = this.startWork(term.signal);
    try {
      const end = await this.renewUntilTermEnds(shutdown, term);
      if (end === 'shutdown') {
        term.abort(new Error(`leader election ${this.config.lock.describe()}: shutting down`));
        if (releaseOnCancel) await this.releaseAfter(work);
      } else {
        log(`stopped leading: ${errorMessage(term.signal.reason)}`);
      }
    } finally {
      this.deadlineTimer?.cancel();
      if (!term.signal.aborted) term.abort(new Error('leader election ended'));
      this.leading = false;
      this.metrics.leading(false);
      try {
        callbacks.onStoppedLeading?.();
      } catch (err) {
        log(`onStoppedLeading threw: ${errorMessage(err)}`);
      }
    }
  }

  private async startWork(signal: AbortSignal): Promise<void> {
    try {
      await this.config.callbacks.onStartedLeading(signal);
    } catch (err) {
      this.config.log(`onStartedLeading failed: ${errorMessage(err)}`);
    }
  }

  /** Renews every retry period until shutdown, the renew deadline, or someone else holding it. */
  private async renewUntilTermEnds(shutdown: AbortSignal, term: AbortController): Promise<TermEnd> {
    const wake = AbortSignal.any([shutdown, term.signal]);
    for (;;) {
      await sleepUnlessAborted(this.config.clock, this.config.retryPeriodMs, wake);
      if (shutdown.aborted) return 'shutdown';
      if (term.signal.aborted) return 'lost';
      // The deadline may have passed without the watchdog's timer having run (the process was
      // paused or its event loop starved), so the clock is read here too.
      const over = this.termOver();
      if (over) {
        // Do not write: after a failed renew or past the lease, it may be someone else's.
        term.abort(over);
        return 'lost';
      }
      const renewed = await this.tryAcquireOrRenew(term.signal);
      if (term.signal.aborted) return 'lost';
      if (renewed) {
        this.armDeadline(term);
        continue;
      }
      const holder = this.observed?.holderIdentity;
      if (holder !== this.identity) {
        term.abort(new Error(`the lease is now held by ${holder || 'nobody'}`));
        return 'lost';
      }
      // A failed renew of a lease still ours: keep trying until the deadline, unless it has
      // already passed (the timer found the renew late, in flight, and let it finish).
      const overNow = this.termOver();
      if (overNow) {
        term.abort(overNow);
        return 'lost';
      }
    }
  }

  /**
   * Why leading is over by now, if it is: renewDeadline has passed since the last successful
   * renew was sent and an attempt has failed since (the server refused or could not be
   * reached), or leaseDuration has passed, after which another candidate may hold the lease.
   * A deadline passed only by being late, with no attempt failed, is not the end: the lease is
   * still ours, a renew may succeed, and isLeader() keeps the work from acting meanwhile.
   */
  private termOver(): Error | undefined {
    const { clock, renewDeadlineMs, leaseDurationMs } = this.config;
    const since = clock.now() - (this.lastRenewAt ?? clock.now());
    if (since >= leaseDurationMs) {
      return new Error(
        `no successful renew within ${renewDeadlineMs} ms, and the lease (${leaseDurationMs} ms) may have run out`,
      );
    }
    if (since >= renewDeadlineMs && this.failedSinceRenew) {
      return new Error(`no successful renew within ${renewDeadlineMs} ms`);
    }
    return undefined;
  }

  /**
   * Aborts the term at the renew deadline if a renew has failed by then; otherwise (a late
   * renew, maybe in flight) it looks again then and at the lease's end.
   */
  private armDeadline(term: AbortController): void {
    const { clock, renewDeadlineMs, leaseDurationMs } = this.config;
    this.deadlineTimer?.cancel();
    const renewedAt = this.lastRenewAt ?? clock.now();
    const check = (nextAt: number | undefined): void => {
      const over = this.termOver();
      if (over) term.abort(over);
      else if (nextAt !== undefined)
        this.deadlineTimer = clock.setTimer(nextAt - clock.now(), () => check(undefined));
    };
    this.deadlineTimer = clock.setTimer(renewedAt + renewDeadlineMs - clock.now(), () =>
      check(renewedAt + leaseDurationMs),
    );
  }

  /** One attempt; failures are logged and answer false, so the loops just try again later. */
  private async tryAcquireOrRenew(signal?: AbortSignal): Promise<boolean> {
    try {
      const done = await this.acquireOrRenew(signal);
      if (!done) this.failedSinceRenew = true;
      return done;
    } catch (err) {
      this.failedSinceRenew = true;
      if (!signal?.aborted) this.config.log(`acquire or renew failed: ${errorMessage(err)}`);
      return false;
    } finally {
      this.attempts += 1;
      this.reportLeader();
    }
  }

  private async acquireOrRenew(signal: AbortSignal | undefined): Promise<boolean> {
    const { lock, clock, log } = this.config;
    const startedAt = clock.now();
    const ours: LeaderElectionRecord = {
      holderIdentity: lock.identity,
      leaseDurationSeconds: this.config.leaseDurationMs / 1000,
      acquireTime: microTime(startedAt),
      renewTime: microTime(startedAt),
      leaseTransitions: 0,
    };

    // 1. The leader renews optimistically on the lease as it last wrote it: one request.
    const observed = this.observed;
    if (observed?.holderIdentity === lock.identity && this.observedValidAt(startedAt)) {
      const renewal = {
        ...ours,
        acquireTime: observed.acquireTime,
        leaseTransitions: observed.leaseTransitions,
      };
      try {
        await lock.update(renewal, signal);
        return this.wrote(renewal, startedAt);
      } catch (err) {
        if (signal?.aborted) throw err;
        log(`renew on the last seen lease failed, re-reading it: ${errorMessage(err)}`);
      }
    }

    // 2. Read the lease, or create it when there is none.
    let current: LeaderElectionRecord;
    try {
      current = await lock.get(signal);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await lock.create(ours, signal);
      return this.wrote(ours, startedAt);
    }
    if (!sameRecord(current, this.observed)) this.observe(current);

    // 3. Held by someone else and, by our own observation, not yet run out.
    const holder = current.holderIdentity;
    if (holder !== '' && holder !== lock.identity && this.observedValidAt(startedAt)) return false;

    // 4. Take it (or renew it, if it says it is ours), compare-and-swap on what we just read.
    const record =
      holder === lock.identity
        ? {
            ...ours,
            acquireTime: current.acquireTime || ours.acquireTime,
            leaseTransitions: current.leaseTransitions,
          }
        : { ...ours, leaseTransitions: current.leaseTransitions + 1 };
    try {
      await lock.update(record, signal);
    } catch (err) {
      if (!isConflict(err)) throw err;
      log(`the lease changed while we wrote it; trying again next period`);
      return false;
    }
    return this.wrote(record, startedAt);
  }

  private wrote(record: LeaderElectionRecord, sentAt: number): true {
    this.observe(record);
    // Count the lease from when the write was sent, not when it was answered: no other
    // candidate can have seen it earlier, so this errs on the safe side.
    this.lastRenewAt = sentAt;
    this.failedSinceRenew = false;
    return true;
  }

  private observe(record: LeaderElectionRecord): void {
    this.observed = record;
    this.observedAt = this.config.clock.now();
  }

  /** Has the observed record changed within its own lease duration, on our clock? */
  private observedValidAt(now: number): boolean {
    const durationMs = (this.observed?.leaseDurationSeconds ?? 0) * 1000;
    return this.observedAt + durationMs > now;
  }

  /**
   * Hands the lease over once the leader's work has stopped. Releasing while it still writes
   * would let a second leader start at once, so we wait for it, but only while the lease is
   * still certainly ours; after that it runs out by itself.
   */
  private async releaseAfter(work: Promise<void>): Promise<void> {
    const { clock, renewDeadlineMs, log } = this.config;
    const remaining = (this.lastRenewAt ?? 0) + renewDeadlineMs - clock.now();
    let timer: Timer | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = clock.setTimer(Math.max(0, remaining), () => resolve(false));
    });
    const stopped = await Promise.race([work.then(() => true as const), deadline]);
    timer?.cancel();
    if (!stopped) {
      log('the leading work did not stop within the renew deadline; not releasing the lease');
      return;
    }
    await this.release();
  }

  /** client-go's ReleaseOnCancel: no holder and a 1 s duration, so others may take it now. */
  private async release(): Promise<void> {
    const { lock, clock, log } = this.config;
    const observed = this.observed;
    if (observed?.holderIdentity !== lock.identity) return;
    const now = clock.now();
    const released: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: observed.leaseTransitions,
    };
    try {
      await lock.update(released);
      this.observe(released);
      this.lastRenewAt = undefined;
    } catch (err) {
      log(`could not release the lease, it will run out instead: ${errorMessage(err)}`);
    }
  }

  private reportLeader(): void {
    const holder = this.observed?.holderIdentity;
    if (!holder || holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    try {
      this.config.callbacks.onNewLeader?.(holder);
    } catch (err) {
      this.config.log(`onNewLeader threw: ${errorMessage(err)}`);
    }
  }
}
