import { describe, expect, it } from 'vitest';
import { CacheEvent, type ObjectEventType } from './cache-event.js';
import { selectEvent, selectInitial, type WatchFilter } from './watch-filter.js';

interface Obj {
  readonly name: string;
  readonly app: string;
}

const web: WatchFilter<Obj> = { predicate: (o) => o.app === 'web' };

function change(type: ObjectEventType, prev: string | undefined, now: string): CacheEvent<Obj> {
  const prevObject = prev === undefined ? undefined : { name: 'x', app: prev };
  return new CacheEvent(type, 'ns/x', 'ns', 7, { name: 'x', app: now }, prevObject);
}

describe('selectEvent with a selector', () => {
  it.each([
    { type: 'ADDED', prev: undefined, now: 'web', want: 'ADDED app=web' },
    { type: 'ADDED', prev: undefined, now: 'db', want: 'none' },
    { type: 'MODIFIED', prev: 'web', now: 'web', want: 'MODIFIED app=web' },
    { type: 'MODIFIED', prev: 'db', now: 'web', want: 'ADDED app=web' },
    { type: 'MODIFIED', prev: 'web', now: 'db', want: 'DELETED app=db' },
    { type: 'MODIFIED', prev: 'db', now: 'db', want: 'none' },
    // A deletion carries the last state: it matches iff the watcher knew the object.
    { type: 'DELETED', prev: 'web', now: 'web', want: 'DELETED app=web' },
    { type: 'DELETED', prev: 'db', now: 'db', want: 'none' },
  ] as const)('$type from $prev to $now gives $want', ({ type, prev, now, want }) => {
    const record = selectEvent(web, change(type, prev, now));
    expect(record ? `${record.type} app=${record.object.app}` : 'none').toBe(want);
  });
});

describe('selectEvent', () => {
  it('hands every watcher the same frozen record for the same outcome', () => {
    const event = change('MODIFIED', 'db', 'web');
    const first = selectEvent(web, event);
    expect(selectEvent(web, event)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(selectEvent({}, event)).toBe(event.out());
  });

  it('skips other namespaces', () => {
    expect(selectEvent({ namespace: 'other' }, change('ADDED', undefined, 'web'))).toBeUndefined();
    expect(selectEvent({ namespace: 'ns' }, change('ADDED', undefined, 'web'))?.type).toBe('ADDED');
  });
});

describe('selectInitial', () => {
  it('announces a matching object as ADDED whatever event produced it', () => {
    expect(selectInitial(web, change('MODIFIED', 'db', 'web'))?.type).toBe('ADDED');
    expect(selectInitial(web, change('MODIFIED', 'web', 'db'))).toBeUndefined();
  });
});
