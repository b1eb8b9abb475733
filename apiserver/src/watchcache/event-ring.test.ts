import { describe, expect, it } from 'vitest';
import { CacheEvent } from './cache-event.js';
import { EventRing } from './event-ring.js';

const event = (revision: number): CacheEvent<{ n: number }> =>
  new CacheEvent('ADDED', `ns/o${revision}`, 'ns', revision, { n: revision }, undefined);

const filled = (capacity: number, revisions: number[]): EventRing<{ n: number }> => {
  const ring = new EventRing<{ n: number }>(capacity);
  for (const r of revisions) ring.push(event(r));
  return ring;
};

const revisionsAfter = (ring: EventRing<{ n: number }>, after: number): number[] =>
  ring.after(after).map((e) => e.revision);

describe('EventRing', () => {
  it.each([
    { name: 'everything after a revision before the first', after: 0, want: [3, 5, 9] },
    { name: 'strictly after an event revision', after: 5, want: [9] },
    { name: 'after a revision between events', after: 6, want: [9] },
    { name: 'nothing after the newest', after: 9, want: [] },
  ])('returns $name', ({ after, want }) => {
    expect(revisionsAfter(filled(4, [3, 5, 9]), after)).toEqual(want);
  });

  it('evicts the oldest event once full and keeps revision order across the wrap', () => {
    const ring = filled(3, [1, 2, 3]);
    expect(ring.push(event(4))?.revision).toBe(1);
    expect(ring.push(event(7))?.revision).toBe(2);
    expect(ring.size).toBe(3);
    expect(revisionsAfter(ring, 0)).toEqual([3, 4, 7]);
    expect(revisionsAfter(ring, 4)).toEqual([7]);
  });

  it('refuses an event that is not newer than the newest', () => {
    const ring = filled(3, [5]);
    expect(() => ring.push(event(5))).toThrow(/not after the newest 5/);
  });

  it('starts over after clear', () => {
    const ring = filled(2, [1, 2, 3]);
    ring.clear();
    expect(ring.size).toBe(0);
    ring.push(event(10));
    expect(revisionsAfter(ring, 0)).toEqual([10]);
  });

  it('needs a positive capacity', () => {
    expect(() => new EventRing(0)).toThrow(RangeError);
  });
});
