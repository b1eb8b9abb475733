import { describe, expect, it } from 'vitest';
import { KeyedBackoff } from './backoff.js';

describe('KeyedBackoff', () => {
  const options = { baseMs: 10_000, capMs: 300_000, resetAfterMs: 600_000 };

  it('doubles from the base up to the cap', () => {
    const b = new KeyedBackoff(options);
    const delays = [0, 1, 2, 3, 4, 5, 6].map((i) => b.next('k', i * 1000));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('is in back-off until the delay after the event has passed', () => {
    const b = new KeyedBackoff(options);
    b.next('k', 1000);
    expect(b.remaining('k', 1000, 5000)).toBe(6000);
    expect(b.remaining('k', 1000, 11_000)).toBe(0);
    expect(b.remaining('other', 1000, 5000)).toBe(0);
  });

  it('starts again from the base after being left alone for the reset period', () => {
    const b = new KeyedBackoff(options);
    b.next('k', 0);
    b.next('k', 1000);
    expect(b.delay('k')).toBe(20_000);
    expect(b.remaining('k', 700_000, 700_001)).toBe(0);
    expect(b.next('k', 700_000)).toBe(10_000);
  });

  it('forgets every key of a pod', () => {
    const b = new KeyedBackoff(options);
    b.next('uid1/a', 0);
    b.next('uid1/b', 0);
    b.next('uid2/a', 0);
    b.resetPrefix('uid1/');
    expect([b.delay('uid1/a'), b.delay('uid1/b'), b.delay('uid2/a')]).toEqual([0, 0, 10_000]);
  });
});
