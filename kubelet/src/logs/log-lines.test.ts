import { parseRfc3339Ms } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { formatTimestamp } from './log-lines.js';

describe('formatTimestamp', () => {
  it.each([
    ['2024-01-01T00:00:02.123456789Z', '2024-01-01T00:00:02.123456789Z'],
    ['2024-01-01T00:00:02.123456789+00:00', '2024-01-01T00:00:02.123456789Z'],
    ['2024-01-01T02:00:02.120000000+02:00', '2024-01-01T00:00:02.12Z'],
    ['2024-01-01T00:00:02.000000000Z', '2024-01-01T00:00:02Z'],
    ['2024-01-01T00:00:02Z', '2024-01-01T00:00:02Z'],
    ['not-a-time', 'not-a-time'],
  ])('%s → %s', (time, want) => {
    expect(formatTimestamp(time, parseRfc3339Ms(time))).toBe(want);
  });
});
