import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { TokenBucketRateLimiter } from './rate-limiter.js';

/** Starts `count` waits at once and records the fake time at which each one is let through. */
function startWaits(limiter: TokenBucketRateLimiter, clock: FakeClock, count: number) {
  const passedAt: number[] = [];
  const start = clock.now();
  const all = Promise.all(
    Array.from({ length: count }, (_, i) =>
      limiter.wait().then(() => (passedAt[i] = clock.now() - start)),
    ),
  );
  return { passedAt, all };
}

describe('TokenBucketRateLimiter', () => {
  it('lets a burst through at once, then one request per 1/qps seconds', async () => {
    const clock = new FakeClock(0);
    const limiter = new TokenBucketRateLimiter(5, 3, clock);
    const { passedAt, all } = startWaits(limiter, clock, 6);
    await clock.advance(0);
    expect(passedAt.filter((t) => t !== undefined)).toEqual([0, 0, 0]);
    await clock.advance(1000);
    await all;
    expect(passedAt).toEqual([0, 0, 0, 200, 400, 600]);
  });

  it('serves waiting callers in arrival order', async () => {
    const clock = new FakeClock(0);
    const limiter = new TokenBucketRateLimiter(10, 1, clock);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => limiter.wait().then(() => order.push(n)));
    await clock.advance(500);
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  it('refills while idle, but never beyond the burst', async () => {
    const clock = new FakeClock(0);
    const limiter = new TokenBucketRateLimiter(2, 4, clock);
    for (let i = 0; i < 4; i++) expect(limiter.tryAccept()).toBe(true);
    expect(limiter.tryAccept()).toBe(false);
    await clock.advance(500);
    expect(limiter.tryAccept()).toBe(true);
    expect(limiter.tryAccept()).toBe(false);
    await clock.advance(60_000);
    for (let i = 0; i < 4; i++) expect(limiter.tryAccept()).toBe(true);
    expect(limiter.tryAccept()).toBe(false);
  });

  it('rejects an aborted wait and gives its token to the next caller', async () => {
    const clock = new FakeClock(0);
    const limiter = new TokenBucketRateLimiter(1, 1, clock);
    await limiter.wait();
    const abort = new AbortController();
    const cancelled = limiter.wait(abort.signal);
    abort.abort(new Error('shutting down'));
    await expect(cancelled).rejects.toThrow('shutting down');
    let passed = false;
    const next = limiter.wait().then(() => (passed = true));
    await clock.advance(999);
    expect(passed).toBe(false);
    await clock.advance(1);
    await next;
    expect(passed).toBe(true);
  });

  it.each([
    { qps: 0, burst: 1 },
    { qps: -1, burst: 1 },
    { qps: 5, burst: 0 },
  ])('refuses qps $qps with burst $burst', ({ qps, burst }) => {
    expect(() => new TokenBucketRateLimiter(qps, burst, new FakeClock(0))).toThrow();
  });
});
