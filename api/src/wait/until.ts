// apimachinery's wait.Until, JitterUntil and PollUntil on the injected Clock: the loops a
// component runs "every period until stopped". They stop when the signal aborts — between runs
// and during the wait — and never throw for that; a rejection from `fn` ends the loop with it,
// so a loop that must survive failures handles them inside `fn`.
import type { Clock } from '../clock/index.js';
import { jitter, type Random } from './jitter.js';
import { sleepUnlessAborted } from './sleep.js';

export interface LoopOptions {
  readonly clock: Clock;
  /** Ends the loop. */
  readonly signal: AbortSignal;
  /** The source of jitter; tests pass a constant. */
  readonly random?: Random;
}

/** Runs `fn`, waits `periodMs` after it finished, again, until the signal aborts. */
export function until(
  fn: (signal: AbortSignal) => void | Promise<void>,
  periodMs: number,
  options: LoopOptions,
): Promise<void> {
  return jitterUntil(fn, periodMs, 0, true, options);
}

/**
 * Runs `fn` every `periodMs` plus up to `jitterFactor × periodMs` at random (no jitter when 0),
 * until the signal aborts. `sliding`: the period starts after `fn` finished; otherwise it
 * starts when `fn` starts, so a slow `fn` eats into the wait (never below zero).
 */
export async function jitterUntil(
  fn: (signal: AbortSignal) => void | Promise<void>,
  periodMs: number,
  jitterFactor: number,
  sliding: boolean,
  { clock, signal, random = Math.random }: LoopOptions,
): Promise<void> {
  const nextPeriod = (): number =>
    jitterFactor > 0 ? jitter(periodMs, jitterFactor, random) : periodMs;
  while (!signal.aborted) {
    const startedAt = clock.now();
    const period = sliding ? 0 : nextPeriod();
    await fn(signal);
    if (signal.aborted) return;
    const waitMs = sliding ? nextPeriod() : Math.max(0, period - (clock.now() - startedAt));
    if (!(await sleepUnlessAborted(clock, waitMs, signal))) return;
  }
}

/**
 * Checks `condition` now and then every `intervalMs` (apimachinery's PollImmediateUntil).
 * Resolves true once it holds, false if the signal aborts first.
 */
export async function pollUntil(
  condition: () => boolean | Promise<boolean>,
  intervalMs: number,
  { clock, signal }: Omit<LoopOptions, 'random'>,
): Promise<boolean> {
  for (;;) {
    if (await condition()) return true;
    if (!(await sleepUnlessAborted(clock, intervalMs, signal))) return false;
  }
}
