import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { DelayingQueue } from './delaying-queue.js';

function delayingQueue(): { queue: DelayingQueue; clock: FakeClock } {
  const clock = new FakeClock(0);
  return { queue: new DelayingQueue({ clock }), clock };
}

/** Takes every queued key (marking each done), in the order the queue hands them out. */
async function drainKeys(queue: DelayingQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const item = await queue.get();
    if (item.shutdown) break;
    keys.push(item.key);
    queue.done(item.key);
  }
  return keys;
}

describe('DelayingQueue', () => {
  it('adds a key only once its delay has passed', async () => {
    const { queue, clock } = delayingQueue();
    queue.addAfter('ns/a', 50);
    await clock.advance(49);
    expect(queue.len()).toBe(0);
    expect(queue.waitingLen()).toBe(1);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
    expect(queue.waitingLen()).toBe(0);
  });

  it('adds keys in due order, not in the order addAfter was called', async () => {
    const { queue, clock } = delayingQueue();
    queue.addAfter('ns/late', 30);
    queue.addAfter('ns/early', 10);
    queue.addAfter('ns/middle', 20);
    queue.addAfter('ns/middle-too', 20);
    await clock.advance(100);
    expect(await drainKeys(queue)).toEqual(['ns/early', 'ns/middle', 'ns/middle-too', 'ns/late']);
  });

  it.each([
    { name: 'a sooner delay brings a waiting key forward', first: 100, second: 10, dueAt: 10 },
    { name: 'a later delay leaves a waiting key where it is', first: 10, second: 100, dueAt: 10 },
  ])('keeps the earliest due time: $name', async ({ first, second, dueAt }) => {
    const { queue, clock } = delayingQueue();
    queue.addAfter('ns/a', first);
    queue.addAfter('ns/a', second);
    expect(queue.waitingLen()).toBe(1);
    await clock.advance(dueAt - 1);
    expect(queue.len()).toBe(0);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
    await drainKeys(queue);
    await clock.advance(1000);
    expect(queue.len()).toBe(0);
  });

  it.each([0, -5])('adds at once when the delay is %i ms', (ms) => {
    const { queue } = delayingQueue();
    queue.addAfter('ns/a', ms);
    expect(queue.len()).toBe(1);
  });

  it('deduplicates a delayed key with the same key already queued', async () => {
    const { queue, clock } = delayingQueue();
    queue.add('ns/a');
    queue.addAfter('ns/a', 10);
    await clock.advance(10);
    expect(queue.len()).toBe(1);
  });

  it('keeps a single timer, for the earliest waiting key, however many keys wait', async () => {
    const { queue, clock } = delayingQueue();
    for (let i = 0; i < 50; i++) queue.addAfter(`ns/pod-${i}`, 1000 - i);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(951);
    expect(queue.len()).toBe(1);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(49);
    expect(queue.len()).toBe(50);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('adds keys that become due while earlier ones are processed', async () => {
    const { queue, clock } = delayingQueue();
    queue.addAfter('ns/a', 10);
    await clock.advance(10);
    queue.addAfter('ns/b', 5);
    expect(await drainKeys(queue)).toEqual(['ns/a']);
    await clock.advance(5);
    expect(await drainKeys(queue)).toEqual(['ns/b']);
  });

  it('drops waiting keys and its timer on shutdown', async () => {
    const { queue, clock } = delayingQueue();
    queue.addAfter('ns/a', 10);
    queue.shutDown();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(100);
    expect(queue.len()).toBe(0);
    queue.addAfter('ns/b', 10);
    expect(queue.waitingLen()).toBe(0);
  });
});
