import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/testing/fake-clock.js';
import { sleepUnlessAborted } from './sleep.js';
import { jitterUntil, pollUntil, until } from './until.js';

/**
 * Moves the clock `ms` forward in 10 ms steps, each once the loop under test has parked on a
 * timer: how long the loop takes to get there between two timers is then no concern.
 */
async function run(clock: FakeClock, ms: number): Promise<void> {
  for (let moved = 0; moved < ms; moved += 10) {
    await clock.waitForTimers();
    await clock.advance(10);
  }
}

describe('until', () => {
  it('runs, waits the period after each run, and stops when the signal aborts', async () => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    const ranAt: number[] = [];
    const loop = until(() => void ranAt.push(clock.now()), 100, { clock, signal: stop.signal });
    await run(clock, 250);
    expect(ranAt).toEqual([0, 100, 200]);
    stop.abort();
    await loop;
    expect(clock.pendingTimers()).toBe(0);
  });

  it('ends with the rejection of its function', async () => {
    const clock = new FakeClock(0);
    const loop = until(() => Promise.reject(new Error('broken')), 100, {
      clock,
      signal: new AbortController().signal,
    });
    await expect(loop).rejects.toThrow('broken');
  });

  it('does not run at all when the signal had already aborted', async () => {
    let runs = 0;
    await until(() => void runs++, 100, { clock: new FakeClock(0), signal: AbortSignal.abort() });
    expect(runs).toBe(0);
  });
});

describe('jitterUntil', () => {
  it.each([
    ['sliding: the period starts when a run has finished', true, 0, [0, 130, 260, 390]],
    ['not sliding: the period starts with the run', false, 0, [0, 100, 200, 300, 400]],
    ['with jitter: up to jitterFactor × period more', true, 0.2, [0, 140, 280]],
  ])('%s', async (_why, sliding, jitterFactor, expected) => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    const startedAt: number[] = [];
    const loop = jitterUntil(
      async (signal) => {
        startedAt.push(clock.now());
        await sleepUnlessAborted(clock, 30, signal); // each run takes 30 ms
      },
      100,
      jitterFactor,
      sliding,
      { clock, signal: stop.signal, random: () => 0.5 },
    );
    await run(clock, 400);
    stop.abort();
    await loop;
    expect(startedAt).toEqual(expected);
  });
});

describe('pollUntil', () => {
  it('checks at once, then every interval, until the condition holds', async () => {
    const clock = new FakeClock(0);
    let checks = 0;
    const polling = pollUntil(() => ++checks === 3, 50, {
      clock,
      signal: new AbortController().signal,
    });
    await run(clock, 100);
    expect(await polling).toBe(true);
    expect(checks).toBe(3);
  });

  it('resolves false when the signal aborts first', async () => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    const polling = pollUntil(() => false, 50, { clock, signal: stop.signal });
    await run(clock, 120);
    stop.abort();
    expect(await polling).toBe(false);
  });
});
