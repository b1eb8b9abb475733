import { describe, expect, it } from 'vitest';
import { InvalidResourceVersionError } from './errors.js';
import { parseResourceVersion } from './resource-version.js';

describe('parseResourceVersion', () => {
  it.each([
    { value: undefined, want: 0 },
    { value: '0', want: 0 },
    { value: '42', want: 42 },
  ])('reads $value as $want', ({ value, want }) => {
    expect(parseResourceVersion(value)).toBe(want);
  });

  it.each(['', '-1', '1.5', 'abc', ' 3', '99999999999999999'])('refuses %j with 400', (value) => {
    expect(() => parseResourceVersion(value)).toThrow(InvalidResourceVersionError);
  });

  it('explains that "" needs storage', () => {
    expect(() => parseResourceVersion('')).toThrow(/current revision/);
  });
});
