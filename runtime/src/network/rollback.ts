import { errorMessage } from '@skiff/api';
// Undo for a multi-step setup. Each step that creates something registers how to remove it; if a
// later step fails, the removals run newest first, so a failed pod setup leaves no veth, netns or
// IP behind. A removal that itself fails is reported with the original error, never instead of it.

export class SetupFailedError extends Error {
  constructor(
    message: string,
    cause: unknown,
    readonly rollbackFailures: readonly string[],
  ) {
    super(message, { cause });
    this.name = 'SetupFailedError';
  }
}

export class Rollback {
  private readonly undos: { what: string; undo: () => Promise<unknown> }[] = [];

  /** Registers how to undo a step that just succeeded. */
  add(what: string, undo: () => Promise<unknown>): void {
    this.undos.push({ what, undo });
  }

  /** Undoes every registered step, newest first, then throws `cause` described by `context`. */
  async fail(context: string, cause: unknown): Promise<never> {
    const failures: string[] = [];
    for (const { what, undo } of this.undos.reverse()) {
      try {
        await undo();
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
      }
    }
    this.undos.length = 0;
    const reason = errorMessage(cause);
    const leftovers =
      failures.length === 0
        ? ''
        : `; rolling back also failed, so these may be left: ${failures.join('; ')}`;
    throw new SetupFailedError(`${context}: ${reason}${leftovers}`, cause, failures);
  }
}
