import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ControllerExpectations } from './expectations.js';

const KEY = 'shop/web';

function expectations(): { expectations: ControllerExpectations; clock: FakeClock } {
  const clock = new FakeClock(0);
  return { expectations: new ControllerExpectations(clock, 60_000), clock };
}

describe('ControllerExpectations', () => {
  it('is satisfied for a key it knows nothing about', () => {
    expect(expectations().expectations.satisfied(KEY)).toBe(true);
  });

  it('waits until every expected creation is observed', () => {
    const { expectations: e } = expectations();
    e.expectCreations(KEY, 2);
    expect(e.satisfied(KEY)).toBe(false);
    e.creationObserved(KEY);
    expect(e.satisfied(KEY)).toBe(false);
    e.creationObserved(KEY);
    expect(e.satisfied(KEY)).toBe(true);
  });

  it('waits until every expected deletion is observed', () => {
    const { expectations: e } = expectations();
    e.expectDeletions(KEY, 1);
    expect(e.satisfied(KEY)).toBe(false);
    e.deletionObserved(KEY);
    expect(e.satisfied(KEY)).toBe(true);
  });

  it('counts as satisfied once the TTL has passed on the clock', async () => {
    const { expectations: e, clock } = expectations();
    e.expectCreations(KEY, 3);
    await clock.advance(59_999);
    expect(e.satisfied(KEY)).toBe(false);
    await clock.advance(1);
    expect(e.satisfied(KEY)).toBe(true);
  });

  it('restarts the TTL when expectations are set again', async () => {
    const { expectations: e, clock } = expectations();
    e.expectCreations(KEY, 1);
    await clock.advance(50_000);
    e.expectCreations(KEY, 1);
    await clock.advance(50_000);
    expect(e.satisfied(KEY)).toBe(false);
  });

  it('raises expectations without restarting the TTL', async () => {
    const { expectations: e, clock } = expectations();
    e.expectCreations(KEY, 1);
    await clock.advance(30_000);
    e.raise(KEY, 1, 1);
    expect(e.pending(KEY)).toEqual({ adds: 2, deletes: 1 });
    await clock.advance(30_000);
    expect(e.satisfied(KEY)).toBe(true);
  });

  it('ignores observations for keys it expects nothing of', () => {
    const { expectations: e } = expectations();
    e.creationObserved(KEY);
    expect(e.pending(KEY)).toBeUndefined();
    expect(e.satisfied(KEY)).toBe(true);
  });

  it('forgets a deleted key', () => {
    const { expectations: e } = expectations();
    e.expectCreations(KEY, 5);
    e.delete(KEY);
    expect(e.satisfied(KEY)).toBe(true);
  });

  it('keeps keys apart', () => {
    const { expectations: e } = expectations();
    e.expectCreations('shop/a', 1);
    expect(e.satisfied('shop/b')).toBe(true);
    expect(e.satisfied('shop/a')).toBe(false);
  });
});
