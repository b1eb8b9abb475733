import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('fires timers in due order only when advanced past them', async () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push('b'));
    clock.setTimer(10, () => fired.push('a'));
    await clock.advance(15);
    expect(fired).toEqual(['a']);
    await clock.advance(5);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(20);
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new FakeClock(0);
    let fired = false;
    clock.setTimer(5, () => (fired = true)).cancel();
    await clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets a sleeping loop schedule its next sleep within one advance', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        ticks.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(300);
    await done;
    expect(ticks).toEqual([100, 200, 300]);
  });

  it('rejects sleep when the signal aborts', async () => {
    const clock = new FakeClock(0);
    const ac = new AbortController();
    const sleeping = clock.sleep(100, ac.signal);
    ac.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
  });

  it('tells a test when the code under test has parked on a timer', async () => {
    const clock = new FakeClock(0);
    let parked = false;
    const waiting = clock.waitForTimers(2).then(() => (parked = true));
    clock.setTimer(10, () => undefined);
    await Promise.resolve();
    expect(parked).toBe(false);
    const sleeping = clock.sleep(10);
    await waiting;
    expect(parked).toBe(true);
    await clock.waitForTimers(1); // already true: resolves at once
    await clock.advance(10);
    await sleeping;
  });
});
