// The dirty/processing rule under load: several workers with random processing times on fake
// time, a producer adding a few keys at random moments. Two properties must hold whatever the
// interleaving: no key is ever held by two workers at once, and every add is followed by a
// processing of that key that started after it (no change is lost).
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { WorkQueue } from './queue.js';

/** A small seeded generator (mulberry32), so a failing interleaving can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  /** Keys seen held by two workers at once (must stay empty). */
  readonly overlaps: string[];
  /** Event counter at each key's last add and at the start of its last processing. */
  readonly lastAdded: Map<string, number>;
  readonly lastStarted: Map<string, number>;
  maxConcurrentWorkers: number;
  processedCount: number;
}

async function runWorkers(seed: number, workers: number, keys: readonly string[]): Promise<Run> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const clock = new FakeClock(0);
  const queue = new WorkQueue({ clock });
  const run: Run = {
    overlaps: [],
    lastAdded: new Map(),
    lastStarted: new Map(),
    maxConcurrentWorkers: 0,
    processedCount: 0,
  };
  let events = 0;
  const held = new Set<string>();

  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await queue.get();
      if (item.shutdown) return;
      if (held.has(item.key)) run.overlaps.push(item.key);
      held.add(item.key);
      run.lastStarted.set(item.key, ++events);
      run.maxConcurrentWorkers = Math.max(run.maxConcurrentWorkers, held.size);
      await clock.sleep(Math.floor(random() * 40));
      held.delete(item.key);
      run.processedCount++;
      queue.done(item.key);
    }
  };
  const running = Array.from({ length: workers }, () => worker());

  for (let step = 0; step < 400; step++) {
    const key = pick(keys);
    run.lastAdded.set(key, ++events);
    queue.add(key);
    await clock.advance(Math.floor(random() * 10));
  }
  // Every key is now processed at most once more (plus once if re-added meanwhile): let fake
  // time run far past the longest possible processing.
  await clock.advance(10_000);
  expect(queue.len()).toBe(0);
  expect(held.size).toBe(0);

  await queue.shutDownWithDrain();
  await Promise.all(running);
  return run;
}

describe('WorkQueue with concurrent workers', () => {
  it.each([1, 2, 3, 42, 2026])(
    'never hands a key to two workers at once and loses no add (seed %i)',
    async (seed) => {
      const keys = ['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e'];
      const run = await runWorkers(seed, 4, keys);

      expect(run.overlaps).toEqual([]);
      for (const key of keys) {
        const added = run.lastAdded.get(key) ?? 0;
        expect(run.lastStarted.get(key) ?? 0, `last processing of ${key}`).toBeGreaterThan(added);
      }
      // The scenario must really exercise concurrency and deduplication to prove anything.
      expect(run.maxConcurrentWorkers).toBeGreaterThan(1);
      expect(run.processedCount).toBeLessThan(400);
    },
  );
});
