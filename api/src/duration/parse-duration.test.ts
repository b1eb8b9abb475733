import { describe, expect, it } from 'vitest';
import { DurationParseError, parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['40s', 40_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1h2m3s4ms', 3_723_004],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['1000000ns', 1],
    ['+5s', 5000],
    ['-1.5h', -5_400_000],
  ])('reads %s as %d ms, as Go does', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '5', '1x', 's', '1s ', ' 1s', '1.s.', '-', '1d', '1m30'])(
    'refuses %j with Go message',
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationParseError);
      expect(() => parseDuration(text)).toThrow(`time: invalid duration ${JSON.stringify(text)}`);
    },
  );
});
