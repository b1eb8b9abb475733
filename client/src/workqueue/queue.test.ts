import { describe, expect, it } from 'vitest';
import { WorkQueue, type QueueItem } from './queue.js';

/** The key a get() resolved with; fails the test if the queue reported shutdown instead. */
async function nextKey(queue: WorkQueue): Promise<string> {
  const item = await queue.get();
  if (item.shutdown) throw new Error('expected a key, the queue reported shutdown');
  return item.key;
}

/** Whether a promise has settled, checked after pending callbacks have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return settled;
}

describe('WorkQueue', () => {
  it('hands out keys in the order they were added', async () => {
    const queue = new WorkQueue();
    for (const key of ['ns/a', 'ns/b', 'ns/c']) queue.add(key);
    expect([await nextKey(queue), await nextKey(queue), await nextKey(queue)]).toEqual([
      'ns/a',
      'ns/b',
      'ns/c',
    ]);
  });

  it('keeps one entry for a key added again while it waits', async () => {
    const queue = new WorkQueue();
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    expect(queue.len()).toBe(2);
    expect(await nextKey(queue)).toBe('ns/a');
    expect(await nextKey(queue)).toBe('ns/b');
    expect(queue.len()).toBe(0);
  });

  it('does not hand a key to a second worker while the first one holds it', async () => {
    const queue = new WorkQueue();
    queue.add('ns/a');
    expect(await nextKey(queue)).toBe('ns/a');
    queue.add('ns/a');
    expect(queue.len()).toBe(0);
    const secondWorker = queue.get();
    expect(await isSettled(secondWorker)).toBe(false);
    queue.done('ns/a');
    expect(await secondWorker).toEqual({ shutdown: false, key: 'ns/a' });
  });

  it('re-queues a key added during processing when its worker calls done', async () => {
    const queue = new WorkQueue();
    queue.add('ns/a');
    await nextKey(queue);
    queue.add('ns/a');
    queue.add('ns/a');
    queue.done('ns/a');
    expect(queue.len()).toBe(1);
    expect(await nextKey(queue)).toBe('ns/a');
  });

  it('does not re-queue a key that was not added again while processed', async () => {
    const queue = new WorkQueue();
    queue.add('ns/a');
    await nextKey(queue);
    queue.done('ns/a');
    expect(queue.len()).toBe(0);
  });

  it('ignores done for a key nobody holds, so a double done cannot queue a key twice', async () => {
    const queue = new WorkQueue();
    queue.add('ns/a');
    await nextKey(queue);
    queue.add('ns/a');
    queue.done('ns/a');
    queue.done('ns/a');
    queue.done('ns/never-added');
    expect(queue.len()).toBe(1);
  });

  it('wakes a worker waiting on an empty queue when a key is added', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    expect(await isSettled(waiting)).toBe(false);
    queue.add('ns/a');
    expect(await waiting).toEqual({ shutdown: false, key: 'ns/a' });
  });

  it('serves waiting workers first come first served, one key each', async () => {
    const queue = new WorkQueue();
    const first = queue.get();
    const second = queue.get();
    queue.add('ns/a');
    queue.add('ns/b');
    expect(await first).toEqual({ shutdown: false, key: 'ns/a' });
    expect(await second).toEqual({ shutdown: false, key: 'ns/b' });
  });

  describe('shutdown', () => {
    it('releases every waiting worker with the shutdown marker', async () => {
      const queue = new WorkQueue();
      const waiting = [queue.get(), queue.get()];
      queue.shutDown();
      const shutdown: QueueItem = { shutdown: true };
      expect(await Promise.all(waiting)).toEqual([shutdown, shutdown]);
      expect(queue.shuttingDown()).toBe(true);
    });

    it('hands out keys still queued, then reports shutdown', async () => {
      const queue = new WorkQueue();
      queue.add('ns/a');
      queue.shutDown();
      expect(await queue.get()).toEqual({ shutdown: false, key: 'ns/a' });
      expect(await queue.get()).toEqual({ shutdown: true });
    });

    it('ignores adds after shutdown', () => {
      const queue = new WorkQueue();
      queue.shutDown();
      queue.add('ns/a');
      expect(queue.len()).toBe(0);
    });

    it('drains: resolves only after queued and in-flight keys are done', async () => {
      const queue = new WorkQueue();
      queue.add('ns/a');
      queue.add('ns/b');
      const held = await nextKey(queue);
      queue.add('ns/a'); // changed again while held: must still be processed once more
      const drained = queue.shutDownWithDrain();

      queue.done(held);
      expect(await isSettled(drained)).toBe(false);
      const processed: string[] = [];
      for (let item = await queue.get(); !item.shutdown; item = await queue.get()) {
        expect(await isSettled(drained)).toBe(false);
        processed.push(item.key);
        queue.done(item.key);
      }
      expect(processed).toEqual(['ns/b', 'ns/a']);
      expect(await isSettled(drained)).toBe(true);
    });

    it('drains at once when nothing is queued or in flight', async () => {
      const queue = new WorkQueue();
      expect(await isSettled(queue.shutDownWithDrain())).toBe(true);
    });

    it('stops waiting for a drain when shutDown is called', async () => {
      const queue = new WorkQueue();
      queue.add('ns/a');
      await nextKey(queue);
      const drained = queue.shutDownWithDrain();
      expect(await isSettled(drained)).toBe(false);
      queue.shutDown();
      expect(await isSettled(drained)).toBe(true);
    });
  });
});
