import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/testing/fake-clock.js';
import { sleepUnlessAborted } from './sleep.js';

describe('sleepUnlessAborted', () => {
  it('resolves true after the full sleep on the clock', async () => {
    const clock = new FakeClock(0);
    const slept = sleepUnlessAborted(clock, 100, new AbortController().signal);
    await clock.advance(100);
    expect(await slept).toBe(true);
  });

  it('resolves false, without throwing, when the signal aborts during the sleep', async () => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    const slept = sleepUnlessAborted(clock, 100, stop.signal);
    stop.abort(new Error('stopping'));
    expect(await slept).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves false at once when the signal had already aborted', async () => {
    const clock = new FakeClock(0);
    expect(await sleepUnlessAborted(clock, 100, AbortSignal.abort())).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });
});
