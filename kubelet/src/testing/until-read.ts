// Waiting on real processes (a runtime, an apiserver) until a read shows what a test wants:
// @skiff/api/testing's eventually, for a read and a predicate, resolving with the read value.
import { eventually } from '@skiff/api/testing';

export function untilRead<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  return eventually(
    what,
    async () => {
      const value = await read();
      return ok(value) && value;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
