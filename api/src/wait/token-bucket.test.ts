import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/testing/fake-clock.js';
import { TokenBucket } from './token-bucket.js';

function reservations(bucket: TokenBucket, n: number): number[] {
  return Array.from({ length: n }, () => bucket.reserve());
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then reserves one token per 1/qps', () => {
    const bucket = new TokenBucket(10, 3, new FakeClock(0));
    expect(reservations(bucket, 6)).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('refills from the clock, never beyond the burst', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(2, 4, clock);
    for (let i = 0; i < 4; i++) expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
    await clock.advance(500);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
    await clock.advance(3_600_000);
    for (let i = 0; i < 4; i++) expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
  });

  it('neither drains nor mints tokens when the clock steps backwards', async () => {
    const clock = new FakeClock(1_000_000);
    const bucket = new TokenBucket(10, 5, clock);
    reservations(bucket, 3); // two tokens left
    await clock.advance(-600_000);
    expect(reservations(bucket, 3)).toEqual([0, 0, 100]);
    // Refilling goes on from the new time rather than waiting for the old one to come back.
    await clock.advance(300);
    expect(reservations(bucket, 3)).toEqual([0, 0, 100]);
  });

  it('does not mint tokens when the clock steps back and forward again', async () => {
    const clock = new FakeClock(1_000_000);
    const bucket = new TokenBucket(10, 5, clock);
    reservations(bucket, 5); // empty
    await clock.advance(-60_000);
    await clock.advance(60_000);
    expect(bucket.tryAccept()).toBe(false);
  });

  it('serves waiting callers in arrival order, each after its reservation', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(5, 3, clock);
    const passedAt: number[] = [];
    const all = Promise.all(
      Array.from({ length: 6 }, (_, i) => bucket.wait().then(() => (passedAt[i] = clock.now()))),
    );
    await clock.advance(0);
    expect(passedAt.filter((t) => t !== undefined)).toEqual([0, 0, 0]);
    await clock.advance(1000);
    await all;
    expect(passedAt).toEqual([0, 0, 0, 200, 400, 600]);
  });

  it('rejects an aborted wait and hands its token to the next caller', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(1, 1, clock);
    await bucket.wait();
    const abort = new AbortController();
    const cancelled = bucket.wait(abort.signal);
    abort.abort(new Error('shutting down'));
    await expect(cancelled).rejects.toThrow('shutting down');
    expect(bucket.reserve()).toBe(1000);
  });

  it('never holds more than the burst after handing a token back', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(1, 1, clock);
    expect(bucket.reserve()).toBe(0);
    await clock.advance(5000);
    bucket.unreserve();
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
  });

  it.each([
    [0, 1],
    [-1, 1],
    [5, 0],
  ])('refuses qps %i with burst %i', (qps, burst) => {
    expect(() => new TokenBucket(qps, burst, new FakeClock(0))).toThrow(RangeError);
  });
});
