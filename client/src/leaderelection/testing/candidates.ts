// Fixture builders for leader election tests: candidates that record what happened to them,
// and a step function that moves fake time one retry period and waits for every running
// candidate to finish the attempt that time triggered (requests to the real apiserver take
// real time, which a FakeClock cannot skip).
import type { Clock, Lease } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { Registry } from 'prom-client';
import { expect, onTestFinished, vi } from 'vitest';
import type { Client } from '../../rest/client.js';
import { LeaderElector } from '../leader-elector.js';
import type { LeaderElectorOptions } from '../config.js';
import { LeaseLock } from '../lease-lock.js';

export const NAMESPACE = 'default';
export const LEASE = 'controller';
export const RETRY_MS = 2_000;

export interface Candidate {
  readonly identity: string;
  readonly elector: LeaderElector;
  readonly clock: Clock;
  readonly registry: Registry;
  /** What the callbacks saw, in order: `started`, `stopped`, `leader <id>`. */
  readonly history: string[];
  readonly logs: string[];
  /** The signal onStartedLeading received, once it was called. */
  leadingSignal(): AbortSignal | undefined;
  /** Aborts run()'s signal (a clean shutdown) and waits for run() to finish. */
  shutdown(): Promise<void>;
  /** Resolves when run() does. */
  readonly done: Promise<void>;
  /** Until run() has resolved. */
  isRunning(): boolean;
}

export interface CandidateOptions extends Partial<
  Omit<LeaderElectorOptions, 'lock' | 'callbacks' | 'clock'>
> {
  /** Work to do while leading; by default it just waits for the signal. */
  readonly work?: (signal: AbortSignal) => Promise<void>;
}

export function startCandidate(
  client: Client,
  clock: Clock,
  identity: string,
  options: CandidateOptions = {},
): Candidate {
  const history: string[] = [];
  const logs: string[] = [];
  const registry = new Registry();
  let leadingSignal: AbortSignal | undefined;
  const { work, ...electorOptions } = options;
  const elector = new LeaderElector({
    lock: new LeaseLock(client, { namespace: NAMESPACE, name: LEASE, identity }),
    clock,
    random: () => 0,
    registry,
    log: (message) => logs.push(message),
    retryPeriodMs: RETRY_MS,
    ...electorOptions,
    callbacks: {
      onStartedLeading: (signal) => {
        leadingSignal = signal;
        history.push('started');
        return work?.(signal);
      },
      onStoppedLeading: () => history.push('stopped'),
      onNewLeader: (id) => history.push(`leader ${id}`),
    },
  });
  const stop = new AbortController();
  let running = true;
  const done = elector.run(stop.signal).finally(() => (running = false));
  onTestFinished(async () => {
    stop.abort();
    // A candidate whose fake clock no longer moves may be waiting on it to release; let it go.
    await Promise.race([done, clock instanceof FakeClock ? clock.advance(60_000) : done]);
  });
  return {
    identity,
    elector,
    clock,
    registry,
    history,
    logs,
    leadingSignal: () => leadingSignal,
    shutdown: async () => {
      stop.abort();
      await done;
    },
    done,
    isRunning: () => running,
  };
}

/** Waits until each running candidate has finished `more` attempts beyond `since`. */
export async function attemptsDone(
  candidates: readonly Candidate[],
  since: readonly number[],
  more = 1,
): Promise<void> {
  await vi.waitFor(
    () => {
      candidates.forEach((c, i) => {
        // A candidate whose run() has ended makes no more attempts.
        if (c.isRunning()) {
          expect(c.elector.status().attempts, c.identity).toBeGreaterThanOrEqual(
            (since[i] ?? 0) + more,
          );
        }
      });
    },
    { timeout: 5_000, interval: 5 },
  );
}

/**
 * Moves `clock` forward one retry period at a time, `periods` times, and after each waits until
 * the candidates on that clock have made the attempt it triggered.
 */
export async function step(
  clock: FakeClock,
  candidates: readonly Candidate[],
  periods = 1,
): Promise<void> {
  for (let i = 0; i < periods; i++) {
    const onClock = candidates.filter((c) => c.clock === clock && c.isRunning());
    const since = onClock.map((c) => c.elector.status().attempts);
    await clock.advance(RETRY_MS);
    await attemptsDone(onClock, since);
  }
}

export async function readLease(client: Client): Promise<Lease> {
  return client.leases(NAMESPACE).get(LEASE);
}

export async function masterStatus(candidate: Candidate): Promise<number | undefined> {
  const metric = await candidate.registry.getSingleMetric('leader_election_master_status')?.get();
  return metric?.values.find((v) => v.labels.name === LEASE)?.value;
}
