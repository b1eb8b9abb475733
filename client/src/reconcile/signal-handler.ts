// controller-runtime's SetupSignalHandler: a signal that aborts on the first SIGTERM or SIGINT,
// so `manager.start(signalHandler())` shuts down gracefully (drains queues, releases the lease).
// A second signal means the operator is out of patience: exit at once, code 1.

/** Call once per process. */
export function signalHandler(
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`received ${signal} again: exiting now\n`);
      process.exit(1);
    }
    process.stderr.write(`received ${signal}: shutting down gracefully (again to force)\n`);
    controller.abort(new Error(`received ${signal}`));
  };
  for (const signal of signals) process.on(signal, onSignal);
  return controller.signal;
}
