// What `skiff up` holds of each thing it started, in one process or as a child: a name for the
// progress lines, how to stop it, and a promise that rejects if it fails while running (a child
// that exits, a scheduler that loses its lease), which brings the whole cluster down loudly.
export interface RunningComponent {
  readonly name: string;
  /** Where its log goes. */
  readonly logFile: string;
  /** Rejects if it stops on its own; never resolves otherwise. */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
}

/** A promise that never settles: for components that cannot fail on their own. */
export const never = (): Promise<never> => new Promise<never>(() => undefined);
