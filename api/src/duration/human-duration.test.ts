import { describe, expect, it } from 'vitest';
import { humanDuration } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('ages as kubectl prints them', () => {
  it.each([
    [5 * s, '5s'],
    [119 * s, '119s'],
    [3 * m + 12 * s, '3m12s'],
    [47 * m, '47m'],
    [5 * h + 3 * m, '5h3m'],
    [20 * h, '20h'],
    [3 * d + 4 * h, '3d4h'],
    [40 * d, '40d'],
    [800 * d, '2y70d'],
    [-5 * s, '0s'],
  ])('%i ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
