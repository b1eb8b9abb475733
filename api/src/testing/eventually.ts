// Waiting for a state that real processes reach in their own time: a container exiting, a
// controller's writes arriving through the apiserver, a kubelet reporting Running. Such tests
// cannot use a fake clock — the kernel, the processes and the network run on real time — so they
// poll for the state, and a generous deadline only turns a hang into a failure. It is never a
// timing assertion. (Code on an injected Clock is tested with FakeClock instead.)
import { errorMessage } from '../errors/index.js';

export interface EventuallyOptions {
  /** When to give up (default 30 s: a limit for hangs, not a performance expectation). */
  readonly timeoutMs?: number;
  /** How long to wait between probes (default 50 ms). */
  readonly intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than `undefined` or `false`, and resolves with
 * that. Fails with `what` (and the last thing the probe threw, if it threw) once `timeoutMs` has
 * passed. A probe that throws is retried: the state may simply not be there yet.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : `; last error: ${errorMessage(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
