// How the benchmarks print their figures: plain aligned columns, easy to paste into an issue.
import type { RoundsResult } from './measure.js';

/** `rows` (the first is the header) as lines with every column padded to its widest cell. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  '));
}

/**
 * One row per concurrency and target: name, concurrency, ops/s (median round), p50 and p99 ms,
 * then the target's throughput ÷ each ceiling's at the same concurrency (the ratio is what
 * compares across noisy machines, not the absolute figure).
 */
export function roundsRows<Name extends string>(
  results: RoundsResult<Name>,
  options: {
    readonly names: readonly Name[];
    readonly concurrencies: readonly number[];
    readonly ceilings: readonly Name[];
  },
): string[][] {
  return options.concurrencies.flatMap((c) =>
    options.names.map((name) => {
      const s = results.stats(name, c);
      return [
        name,
        String(c),
        s.opsPerSecond.toFixed(0),
        s.p50Ms.toFixed(2),
        s.p99Ms.toFixed(2),
        ...options.ceilings.map((ceiling) =>
          (s.opsPerSecond / results.stats(ceiling, c).opsPerSecond).toFixed(2),
        ),
      ];
    }),
  );
}
