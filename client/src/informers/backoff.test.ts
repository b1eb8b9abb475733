import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

function delays(backoff: Backoff, n: number): number[] {
  return Array.from({ length: n }, () => backoff.next());
}

describe('Backoff', () => {
  it.each([
    [0, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]],
    [0.5, [1200, 2400, 4800, 9600, 19200, 38400, 45000, 45000]],
  ])('doubles from 800 ms to 30 s, plus jitter (random %s)', (random, expected) => {
    const backoff = new Backoff({ random: () => random }, new FakeClock());
    expect(delays(backoff, 8)).toEqual(expected);
  });

  it('starts over after reset() and after two quiet minutes', async () => {
    const clock = new FakeClock();
    const backoff = new Backoff({ random: () => 0 }, clock);
    expect(delays(backoff, 3)).toEqual([800, 1600, 3200]);
    backoff.reset();
    expect(delays(backoff, 2)).toEqual([800, 1600]);
    await clock.advance(120_001);
    expect(backoff.next()).toBe(800);
  });
});
