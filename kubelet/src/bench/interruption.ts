// A benchmark stopped with Ctrl-C or a timeout's SIGTERM must still remove what it made: the
// runtime it started leaves a bridge, NAT rules, sandboxes and their mounts on the host unless
// its stop() runs, and node's default for those signals is to exit at once, skipping every
// `finally`. Cleaning up from the signal handler itself races the benchmark, which goes on
// starting pods while the cleanup removes them (pods started after the sweep are left behind).
// So the signal only aborts: the benchmark stops starting work, lets what it started settle,
// and unwinds through its own `finally` blocks. A second signal exits at once.

export interface Interruption {
  /** Aborted by the first SIGINT or SIGTERM, its reason naming the signal. */
  readonly signal: AbortSignal;
  /** Stops listening: node's default handling comes back. */
  dispose(): void;
}

export function watchForInterruption(what: string): Interruption {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`${what}: ${signal} again, exiting without cleaning up\n`);
      process.exit(130);
    }
    process.stderr.write(
      `${what}: ${signal}, letting what was started finish, then removing everything\n`,
    );
    controller.abort(new Error(`${what} interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
