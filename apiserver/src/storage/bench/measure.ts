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

export interface RoundsOptions<Name extends string> {
  /** Each target performs operation `i`; indices are never reused, so keys never collide. */
  readonly targets: Readonly<Record<Name, (i: number) => Promise<unknown>>>;
  readonly concurrencies: readonly number[];
  readonly rounds: number;
  /** Operations per run at a concurrency. */
  readonly opsFor: (concurrency: number) => number;
  /** The first operation index (after a warm-up that used the ones below it). Default 0. */
  readonly firstIndex?: number;
  /**
   * CPU clocks (seconds used so far) of the processes that serve a target, read around each of
   * its runs: CPU per operation does not depend on how busy the rest of the machine was, so it
   * is the steadier figure on a shared 2-core box.
   */
  readonly cpuClocks?: Partial<Record<Name, Readonly<Record<string, () => number>>>>;
}

export interface TargetStats {
  /** Throughput of the median round. */
  readonly opsPerSecond: number;
  /** Latency percentiles over every operation of every round. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Per process named in `cpuClocks`: CPU µs per operation over every round. */
  readonly cpuMicrosPerOp: Readonly<Record<string, number>>;
}

export interface RoundsResult<Name extends string> {
  stats(name: Name, concurrency: number): TargetStats;
}

/**
 * Runs every target closed-loop at each concurrency, `rounds` times. Each round starts the
 * targets' order one further along, so a noisy neighbour on a shared machine hurts them alike.
 */
export async function measureRounds<Name extends string>(
  options: RoundsOptions<Name>,
): Promise<RoundsResult<Name>> {
  const names = Object.keys(options.targets) as Name[];
  const samples = new Map<
    string,
    { ops: number[]; latencies: number[]; count: number; cpuSeconds: Record<string, number> }
  >();
  let next = options.firstIndex ?? 0;
  for (const c of options.concurrencies) {
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + round) % names.length] as Name;
        const op = options.targets[name];
        const base = next;
        next += options.opsFor(c);
        const clocks = Object.entries(options.cpuClocks?.[name] ?? {});
        const cpuBefore = clocks.map(([, clock]) => clock());
        const run = await runClosedLoop(options.opsFor(c), c, (i) => op(base + i));
        const sample = samples.get(`${name}@${c}`) ?? {
          ops: [],
          latencies: [],
          count: 0,
          cpuSeconds: {},
        };
        sample.ops.push(run.opsPerSecond);
        sample.latencies.push(...run.latenciesMs);
        sample.count += options.opsFor(c);
        clocks.forEach(([process, clock], i) => {
          sample.cpuSeconds[process] =
            (sample.cpuSeconds[process] ?? 0) + clock() - (cpuBefore[i] ?? 0);
        });
        samples.set(`${name}@${c}`, sample);
      }
    }
  }
  return {
    stats(name, c) {
      const s = samples.get(`${name}@${c}`);
      if (!s) throw new Error(`no samples for ${name} at ${c}`);
      return {
        opsPerSecond: median(s.ops),
        p50Ms: percentile(s.latencies, 50),
        p99Ms: percentile(s.latencies, 99),
        cpuMicrosPerOp: Object.fromEntries(
          Object.entries(s.cpuSeconds).map(([process, seconds]) => [
            process,
            (seconds * 1e6) / s.count,
          ]),
        ),
      };
    },
  };
}
