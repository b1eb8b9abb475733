import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.js';

describe('percentile', () => {
  it.each([
    { samples: [5], q: 0.5, want: 5 },
    { samples: [1, 2, 3, 4], q: 0.5, want: 2 },
    { samples: [4, 3, 2, 1], q: 0.99, want: 4 },
    { samples: Array.from({ length: 100 }, (_, i) => i + 1), q: 0.99, want: 99 },
    { samples: Array.from({ length: 100 }, (_, i) => i + 1), q: 0.5, want: 50 },
  ])('takes the nearest rank: q=$q of $samples.length samples is $want', ({ samples, q, want }) => {
    expect(percentile(samples, q)).toBe(want);
  });

  it('is NaN without samples, and summarize counts them', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(summarize([3, 1, 2])).toEqual({ p50: 2, p99: 3, n: 3 });
  });
});
