// Independent steps run at once, but a failure is reported only after every step has settled.
// Promise.all rejects at the first failure while the other steps run on, so a rollback started
// from its rejection would race them (deleting a namespace another step is still configuring);
// waiting for all of them first makes the rollback see a world that holds still.

/** Awaits every task; resolves with their values in order, or rethrows the first failure. */
export async function together<T extends readonly unknown[] | []>(
  tasks: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(tasks);
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason as Error;
  }
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
