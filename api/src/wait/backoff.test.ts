import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/testing/fake-clock.js';
import { Backoff, backoffDelay, type BackoffOptions } from './backoff.js';
import { ExponentialBackoffManager } from './backoff-manager.js';
import { jitter } from './jitter.js';

function steps(backoff: { step(): number } | { next(): number }, n: number): number[] {
  return Array.from({ length: n }, () => ('step' in backoff ? backoff.step() : backoff.next()));
}

describe('Backoff', () => {
  it.each<[string, BackoffOptions, number, number[]]>([
    ['doubles by default', { durationMs: 5 }, 0, [5, 10, 20, 40, 80]],
    ['multiplies by its factor', { durationMs: 100, factor: 1.5 }, 0, [100, 150, 225, 337.5]],
    ['stays put with factor 1', { durationMs: 100, factor: 1 }, 0, [100, 100, 100]],
    ['stops at the cap', { durationMs: 800, capMs: 3000 }, 0, [800, 1600, 3000, 3000]],
    ['stops growing after `steps`', { durationMs: 1, steps: 3 }, 0, [1, 2, 4, 8, 8]],
    [
      'adds jitter on top of the cap',
      { durationMs: 800, capMs: 1000, jitter: 1 },
      0.5,
      [1200, 1500, 1500],
    ],
    ['rounds a jittered delay to whole ms', { durationMs: 10, jitter: 0.5 }, 0.33, [12, 23]],
  ])('%s', (_why, options, random, expected) => {
    expect(steps(new Backoff(options, () => random), expected.length)).toEqual(expected);
  });

  it('counts its steps and starts over after reset()', () => {
    const backoff = new Backoff({ durationMs: 200, capMs: 10_000 });
    expect(steps(backoff, 3)).toEqual([200, 400, 800]);
    expect(backoff.attempts).toBe(3);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.step()).toBe(200);
  });

  it('holds its cap however many steps pile up', () => {
    const backoff = new Backoff({ durationMs: 5, capMs: 1_000_000 });
    expect(steps(backoff, 5000).at(-1)).toBe(1_000_000);
    expect(backoffDelay({ durationMs: 5, capMs: 1_000_000 }, 1e6)).toBe(1_000_000);
  });

  it.each<BackoffOptions>([
    { durationMs: -1 },
    { durationMs: 1, factor: -2 },
    { durationMs: 1, jitter: Number.NaN },
  ])('refuses negative or missing parameters: %j', (options) => {
    expect(() => new Backoff(options)).toThrow(RangeError);
  });
});

describe('jitter', () => {
  it.each([
    [1000, 0.2, 0.5, 1100],
    [1000, 0, 0.5, 1500], // a factor of 0 means 1.0, as apimachinery's Jitter
    [1000, 1, 0, 1000],
  ])('jitter(%i, %d) with random %d is %i', (ms, factor, random, expected) => {
    expect(jitter(ms, factor, () => random)).toBe(expected);
  });
});

describe('ExponentialBackoffManager', () => {
  const reflectorBackoff = {
    durationMs: 800,
    capMs: 30_000,
    jitter: 1,
    resetAfterMs: 120_000,
  };

  it('starts over after reset() and after a quiet resetAfterMs', async () => {
    const clock = new FakeClock();
    const backoff = new ExponentialBackoffManager(reflectorBackoff, clock, () => 0);
    expect(steps(backoff, 3)).toEqual([800, 1600, 3200]);
    backoff.reset();
    expect(steps(backoff, 2)).toEqual([800, 1600]);
    await clock.advance(120_000);
    expect(backoff.next()).toBe(3200); // exactly resetAfterMs is not yet quiet enough
    await clock.advance(120_001);
    expect(backoff.next()).toBe(800);
  });
});
