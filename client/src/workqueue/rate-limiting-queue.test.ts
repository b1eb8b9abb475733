import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ItemExponentialFailureRateLimiter } from './exponential-rate-limiter.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';

function rateLimitingQueue(): { queue: RateLimitingQueue; clock: FakeClock } {
  const clock = new FakeClock(0);
  const rateLimiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
  return { queue: new RateLimitingQueue({ clock, rateLimiter }), clock };
}

/** Fake milliseconds until `key` is back in the queue after addRateLimited. */
async function retryDelay(
  queue: RateLimitingQueue,
  clock: FakeClock,
  key: string,
): Promise<number> {
  const start = clock.now();
  queue.addRateLimited(key);
  while (queue.len() === 0) await clock.advance(1);
  const item = await queue.get();
  if (item.shutdown) throw new Error('queue shut down');
  queue.done(item.key);
  return clock.now() - start;
}

describe('RateLimitingQueue', () => {
  it('brings a failing key back after its growing backoff', async () => {
    const { queue, clock } = rateLimitingQueue();
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await retryDelay(queue, clock, 'ns/a'));
    expect(waits).toEqual([5, 10, 20, 40]);
    expect(queue.numRequeues('ns/a')).toBe(4);
  });

  it('starts from the shortest backoff again after forget', async () => {
    const { queue, clock } = rateLimitingQueue();
    await retryDelay(queue, clock, 'ns/a');
    await retryDelay(queue, clock, 'ns/a');
    queue.forget('ns/a');
    expect(queue.numRequeues('ns/a')).toBe(0);
    expect(await retryDelay(queue, clock, 'ns/a')).toBe(5);
  });

  it('uses the default controller limiter on its own clock when given none', async () => {
    const clock = new FakeClock(0);
    const queue = new RateLimitingQueue({ clock });
    for (let i = 0; i < 100; i++) queue.addRateLimited(`ns/pod-${i}`);
    queue.addRateLimited('ns/one-too-many');
    await clock.advance(5);
    expect(queue.len()).toBe(100);
    await clock.advance(95);
    expect(queue.len()).toBe(101);
  });
});
