// Latency summaries for the runtime benchmark: nearest-rank percentiles over milliseconds.

/** The q-quantile (0 < q ≤ 1) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export interface Summary {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

export function summarize(samples: readonly number[]): Summary {
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), n: samples.length };
}
