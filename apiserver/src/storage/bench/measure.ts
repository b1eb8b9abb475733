// Closed-loop load: `concurrency` workers each issue one operation, wait for it, issue the next,
// until `total` operations are done. Throughput is total ÷ wall time; latencies are per operation.

export interface RunResult {
  readonly opsPerSecond: number;
  /** Per-operation latencies in milliseconds, unsorted. */
  readonly latenciesMs: number[];
}

export async function runClosedLoop(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<RunResult> {
  const latenciesMs: number[] = new Array<number>(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const start = process.hrtime.bigint();
      await op(i);
      latenciesMs[i] = Number(process.hrtime.bigint() - start) / 1e6;
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { opsPerSecond: total / seconds, latenciesMs };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
