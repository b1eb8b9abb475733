// The knobs of a leader election and the rules that keep them safe, checked once up front: a
// configuration that breaks them lets two processes lead at the same time.
import { realClock, type Clock } from '@skiff/api';
import type { Registry } from 'prom-client';
import type { LeaseLock } from './lease-lock.js';

export interface LeaderElectionCallbacks {
  /**
   * Called once this candidate holds the lease. Do the leader's work here and stop when
   * `signal` aborts: it aborts at the renew deadline when a renew has failed by then, or, when
   * renews are only late (a starved process), at the latest when the lease may run out; either
   * is no later than another candidate may take the lease. Check isLeader() right before each
   * write: it is false from the renew deadline on. A returned promise is awaited before a
   * release on shutdown, so the lease is not handed over while this work still writes.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called after leading ended (lost or shut down). Not called if this candidate never led. */
  onStoppedLeading?(): void;
  /** Called whenever the observed holder changes, this candidate included. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  readonly lock: LeaseLock;
  readonly callbacks: LeaderElectionCallbacks;
  /** How long others wait, after last seeing the lease change, before taking it. Whole seconds. */
  readonly leaseDurationMs?: number;
  /**
   * How long after its last successful renew the leader may act (isLeader()), and keeps leading
   * once a renew has failed. Renews that are only late are retried until the lease duration.
   */
  readonly renewDeadlineMs?: number;
  /** How often to try to acquire or renew. */
  readonly retryPeriodMs?: number;
  /**
   * Hand the lease over on shutdown (holder emptied, duration 1 s) so another candidate can
   * lead at once instead of after the lease runs out. Default true.
   */
  readonly releaseOnCancel?: boolean;
  /** The `name` label of leader_election_master_status; default the lease's name. */
  readonly name?: string;
  /** Where the metric is registered; prom-client's global registry by default. */
  readonly registry?: Registry;
  readonly clock?: Clock;
  /** A number in [0, 1) for the acquire loop's jitter; tests pass `() => 0`. */
  readonly random?: () => number;
  /** Where failed attempts are reported (they are retried, never thrown). Default: stderr. */
  readonly log?: (message: string) => void;
}

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
/** Acquire attempts wait retryPeriod × [1, 1 + JITTER_FACTOR), so candidates spread out. */
export const JITTER_FACTOR = 1.2;

export interface ElectionConfig {
  readonly lock: LeaseLock;
  readonly callbacks: LeaderElectionCallbacks;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly releaseOnCancel: boolean;
  readonly name: string;
  readonly registry: Registry | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: (message: string) => void;
}

export function electionConfig(options: LeaderElectorOptions): ElectionConfig {
  const config: ElectionConfig = {
    lock: options.lock,
    callbacks: options.callbacks,
    leaseDurationMs: options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
    renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS,
    retryPeriodMs: options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS,
    releaseOnCancel: options.releaseOnCancel ?? true,
    name: options.name ?? options.lock.name,
    registry: options.registry,
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
    log:
      options.log ??
      ((message) =>
        process.stderr.write(`leaderelection ${options.lock.describe()}: ${message}\n`)),
  };
  const problem = configProblem(config);
  if (problem) throw new RangeError(`leader election ${options.lock.describe()}: ${problem}`);
  return config;
}

/** The first rule the durations break, or undefined; the same rules as client-go's. */
export function configProblem(
  durations: Pick<ElectionConfig, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>,
): string | undefined {
  const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = durations;
  // The Lease stores whole seconds; a fraction would be cut off and others would take over
  // sooner than this candidate plans for.
  if (!Number.isInteger(leaseDurationMs / 1000) || leaseDurationMs < 1000) {
    return `leaseDurationMs must be a whole number of seconds, at least 1000 (got ${leaseDurationMs})`;
  }
  // The margin between the two is what absorbs clock drift and the time to stop working.
  if (!(renewDeadlineMs < leaseDurationMs)) {
    return `leaseDurationMs (${leaseDurationMs}) must be greater than renewDeadlineMs (${renewDeadlineMs})`;
  }
  if (!(retryPeriodMs > 0)) return `retryPeriodMs must be greater than 0 (got ${retryPeriodMs})`;
  // At least one retry must fit in the deadline, jitter included.
  if (!(renewDeadlineMs > JITTER_FACTOR * retryPeriodMs)) {
    return `renewDeadlineMs (${renewDeadlineMs}) must be greater than ${JITTER_FACTOR} × retryPeriodMs (${retryPeriodMs})`;
  }
  return undefined;
}
