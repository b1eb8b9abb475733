// Sleeping on the injected Clock for loops that stop when their signal aborts. Clock.sleep rejects
// on abort, which suits a caller that must unwind; a retry loop or a poll just wants to stop, and
// without this each one wrapped the sleep in its own try/catch that swallowed the abort.
import type { Clock } from '../clock/index.js';

/**
 * Sleeps `ms` on `clock`. Resolves true after the full sleep, false as soon as `signal` aborts
 * (also when it already had): the caller checks the answer and stops, nothing is thrown.
 */
export async function sleepUnlessAborted(
  clock: Clock,
  ms: number,
  signal: AbortSignal,
): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch (err) {
    // Clock.sleep rejects only on abort; anything else is a broken clock and must be seen.
    if (signal.aborted) return false;
    throw err;
  }
}
