// The end of every long-running `skiff <component>`: say where it serves, then run until SIGTERM
// or SIGINT, stop, and turn how the stop went into the exit code (0, or 1 if it failed).
export interface ServeUntilSignalOptions {
  /** `skiff apiserver`: starts every line this prints. */
  readonly command: string;
  /** Printed once serving, a line each: where it listens, how to try it. */
  readonly banner: readonly string[];
  /** What a stop does, told after the signal's name: `shutting down`. */
  readonly stopping: string;
  readonly stop: () => Promise<void>;
  /** Starts the error line when stop() fails: `shutdown failed`. */
  readonly stopFailed: string;
}

export function serveUntilSignal(options: ServeUntilSignalOptions): Promise<number> {
  const { command } = options;
  for (const line of options.banner) process.stdout.write(`${line}\n`);
  return new Promise<number>((resolve) => {
    // A second signal while stopping must not start a second stop.
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${command}: ${signal}, ${options.stopping}\n`);
      options.stop().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`${command}: ${options.stopFailed}: ${String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
