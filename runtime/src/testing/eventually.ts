// Polling for states that real processes reach in their own time, shared by the Linux backend's
// tests and the CRI suite. Tests that drive real containers cannot use a fake clock: the kernel,
// conmon and the OCI runtime run on real time, so the test waits for the state, with a deadline.

/**
 * Calls `fn` every `intervalMs` until it returns something other than undefined, and fails with
 * `what` in the message once `timeoutMs` has passed.
 */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
