// Kubernetes' slowStartBatch: make `count` calls in batches of 1, 2, 4, … and stop at the first
// batch with a failure. A template the apiserver refuses then costs one request per sync, not
// hundreds, while a healthy scale-up still reaches full parallelism after a few round trips.

export interface SlowStartResult {
  /** How many calls succeeded. The rest were never made (or failed). */
  readonly successes: number;
  /** The first failure of the batch that stopped it, if any. */
  readonly error?: unknown;
}

export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  call: () => Promise<void>,
): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0;) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => call()));
    let failure: PromiseRejectedResult | undefined;
    for (const result of results) {
      if (result.status === 'fulfilled') successes++;
      else failure ??= result;
    }
    if (failure) return { successes, error: failure.reason };
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return { successes };
}
