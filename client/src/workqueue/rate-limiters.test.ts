import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { BucketRateLimiter } from './bucket-rate-limiter.js';
import { defaultControllerRateLimiter } from './default-rate-limiter.js';
import { ItemExponentialFailureRateLimiter } from './exponential-rate-limiter.js';
import { ItemFastSlowRateLimiter } from './fast-slow-rate-limiter.js';
import { MaxOfRateLimiter } from './max-of-rate-limiter.js';
import { type RateLimiter } from './rate-limiter.js';

/** The delays of `count` consecutive failures of one key. */
function delays(limiter: RateLimiter, key: string, count: number): number[] {
  return Array.from({ length: count }, () => limiter.when(key));
}

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles the delay from 5 ms on every failure until the 1000 s cap', () => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    expect(delays(limiter, 'ns/a', 21)).toEqual([
      5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 40960, 81920, 163840,
      327680, 655360, 1_000_000, 1_000_000, 1_000_000,
    ]);
    expect(limiter.numRequeues('ns/a')).toBe(21);
  });

  it('stays at the cap however many failures pile up', () => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    expect(delays(limiter, 'ns/a', 2000).at(-1)).toBe(1_000_000);
  });

  it('backs off each key on its own', () => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    delays(limiter, 'ns/a', 3);
    expect(limiter.when('ns/b')).toBe(5);
    expect(limiter.when('ns/a')).toBe(40);
  });

  it('starts again from the base delay after forget', () => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    delays(limiter, 'ns/a', 4);
    limiter.forget('ns/a');
    expect(limiter.numRequeues('ns/a')).toBe(0);
    expect(limiter.when('ns/a')).toBe(5);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through at once, then spaces calls at 1/qps', () => {
    const clock = new FakeClock(0);
    const limiter = new BucketRateLimiter(10, 100, clock);
    expect(delays(limiter, 'any', 100).every((ms) => ms === 0)).toBe(true);
    // Each call past the burst reserves the next token to be refilled.
    expect(delays(limiter, 'any', 3)).toEqual([100, 200, 300]);
  });

  it('refills from the clock', async () => {
    const clock = new FakeClock(0);
    const limiter = new BucketRateLimiter(10, 100, clock);
    delays(limiter, 'any', 101); // one token in debt
    await clock.advance(150); // 1.5 tokens back: half a token in hand, half missing
    expect(limiter.when('any')).toBe(50);
    expect(limiter.when('any')).toBe(150);
    await clock.advance(350); // the debt of 1.5 tokens repaid, 2 tokens in hand
    expect(delays(limiter, 'any', 3)).toEqual([0, 0, 100]);
  });

  it('refills no further than the burst', async () => {
    const clock = new FakeClock(0);
    const limiter = new BucketRateLimiter(10, 100, clock);
    delays(limiter, 'any', 100);
    await clock.advance(3_600_000);
    expect(delays(limiter, 'any', 101).at(-1)).toBe(100);
  });

  it('shares one bucket between all keys and counts no requeues', () => {
    const limiter = new BucketRateLimiter(10, 1, new FakeClock(0));
    expect(limiter.when('ns/a')).toBe(0);
    expect(limiter.when('ns/b')).toBe(100);
    limiter.forget('ns/b');
    expect(limiter.numRequeues('ns/b')).toBe(0);
  });

  it.each([
    [0, 1],
    [10, 0],
  ])('rejects qps %i with burst %i', (qps, burst) => {
    expect(() => new BucketRateLimiter(qps, burst)).toThrow(RangeError);
  });
});

describe('ItemFastSlowRateLimiter', () => {
  it('waits the fast delay for the first attempts and the slow one after', () => {
    const limiter = new ItemFastSlowRateLimiter(10, 5000, 3);
    expect(delays(limiter, 'ns/a', 5)).toEqual([10, 10, 10, 5000, 5000]);
    expect(limiter.numRequeues('ns/a')).toBe(5);
    limiter.forget('ns/a');
    expect(limiter.when('ns/a')).toBe(10);
  });
});

describe('MaxOfRateLimiter', () => {
  it('asks every limiter and waits the longest delay', () => {
    const fastSlow = new ItemFastSlowRateLimiter(100, 1000, 2);
    const exponential = new ItemExponentialFailureRateLimiter(30, 1_000_000);
    const limiter = new MaxOfRateLimiter(fastSlow, exponential);
    // fast-slow: 100 100 1000 1000; exponential: 30 60 120 240 480 960 1920
    expect(delays(limiter, 'ns/a', 7)).toEqual([100, 100, 1000, 1000, 1000, 1000, 1920]);
    expect(fastSlow.numRequeues('ns/a')).toBe(7);
    expect(exponential.numRequeues('ns/a')).toBe(7);
  });

  it('forgets in every limiter and reports the largest requeue count', () => {
    const few = new ItemFastSlowRateLimiter(1, 1, 1);
    const many = new ItemExponentialFailureRateLimiter(1, 1);
    const limiter = new MaxOfRateLimiter(few, many);
    delays(many, 'ns/a', 3);
    limiter.when('ns/a');
    expect(limiter.numRequeues('ns/a')).toBe(4);
    limiter.forget('ns/a');
    expect([few.numRequeues('ns/a'), many.numRequeues('ns/a')]).toEqual([0, 0]);
  });

  it('refuses to combine nothing', () => {
    expect(() => new MaxOfRateLimiter()).toThrow(RangeError);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('backs one failing key off exponentially from 5 ms', () => {
    const limiter = defaultControllerRateLimiter(new FakeClock(0));
    expect(delays(limiter, 'ns/a', 5)).toEqual([5, 10, 20, 40, 80]);
    expect(limiter.numRequeues('ns/a')).toBe(5);
  });

  it('holds a mass failure to 10 retries a second once the burst of 100 is spent', () => {
    const limiter = defaultControllerRateLimiter(new FakeClock(0));
    const firstFailures = Array.from({ length: 103 }, (_, i) => limiter.when(`ns/pod-${i}`));
    expect(firstFailures.slice(0, 100).every((ms) => ms === 5)).toBe(true);
    expect(firstFailures.slice(100)).toEqual([100, 200, 300]);
  });
});
