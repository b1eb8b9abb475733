import { describe, expect, it } from 'vitest';
import { container, exited, runtimePod, sandbox } from '../container/testing.js';
import type { PlegContainerState } from './events.js';
import { PodCache, relistStatesOf } from './pod-cache.js';

const web = { uid: 'uid-1', name: 'web', namespace: 'default' };
const running = runtimePod([sandbox({ id: 'sb' })], [container('app', { id: 'c1' })]);

describe('PodCache', () => {
  it('gives back what a read kept, and nothing for a pod never read', () => {
    const cache = new PodCache();
    cache.set('uid-1', running, cache.ticket());
    expect(cache.get(web)).toBe(running);
    expect(cache.get({ ...web, uid: 'uid-2' })).toBeUndefined();
  });

  it('holds nothing usable for a pod a relist marked stale until a read that began after it', () => {
    const cache = new PodCache();
    cache.set('uid-1', running, cache.ticket());
    cache.markStale('uid-1', cache.ticket());
    expect(cache.get(web)).toBeUndefined();
    cache.set('uid-1', running, cache.ticket());
    expect(cache.get(web)).toBe(running);
  });

  it('does not take a read that began before the relist as fresh when it lands after it', () => {
    const cache = new PodCache();
    const read = cache.ticket();
    cache.markStale('uid-1', cache.ticket());
    cache.set('uid-1', running, read);
    expect(cache.get(web)).toBeUndefined();
  });

  it('keeps the newer read when an older one lands last', () => {
    const cache = new PodCache();
    const older = cache.ticket();
    const newer = cache.ticket();
    const later = runtimePod([sandbox({ id: 'sb' })], [exited('app', 1, { id: 'c1' })]);
    cache.set('uid-1', later, newer);
    cache.set('uid-1', running, older);
    expect(cache.get(web)).toBe(later);
  });

  it('forgets a deleted pod, stale mark included', () => {
    const cache = new PodCache();
    cache.markStale('uid-1', cache.ticket());
    cache.delete('uid-1');
    cache.set('uid-1', running, 1);
    expect(cache.get(web)).toBe(running);
  });

  it('says a pod the last relist did not see has nothing, and has no word on one it saw', () => {
    const cache = new PodCache();
    expect(cache.get(web)).toBeUndefined();
    cache.noteRelist(new Set(['uid-2']), cache.ticket());
    expect(cache.get(web)).toEqual({ ...web, sandboxes: [], containers: [] });
    expect(cache.get({ ...web, uid: 'uid-2' })).toBeUndefined();
  });

  it('has no word on an unseen pod whose sync failed after the relist, until the next relist', () => {
    const cache = new PodCache();
    cache.noteRelist(new Set(), cache.ticket());
    cache.markStale('uid-1', cache.ticket());
    expect(cache.get(web)).toBeUndefined();
    cache.noteRelist(new Set(), cache.ticket());
    expect(cache.get(web)).toEqual({ ...web, sandboxes: [], containers: [] });
  });

  it('prefers what a read kept over what the last relist missed', () => {
    const cache = new PodCache();
    cache.set('uid-1', running, cache.ticket());
    cache.noteRelist(new Set(), cache.ticket());
    expect(cache.get(web)).toBe(running);
  });

  it('keeps the newer relist when an older one reports last', () => {
    const cache = new PodCache();
    const older = cache.ticket();
    cache.noteRelist(new Set(), cache.ticket());
    cache.noteRelist(new Set(['uid-1']), older);
    expect(cache.get(web)).toEqual({ ...web, sandboxes: [], containers: [] });
  });

  const agreement: {
    name: string;
    seen: [string, PlegContainerState][];
    want: boolean;
  }[] = [
    {
      name: 'the same sandbox and container states',
      seen: [
        ['sb', 'running'],
        ['c1', 'running'],
      ],
      want: true,
    },
    {
      name: 'a container that exited since',
      seen: [
        ['sb', 'running'],
        ['c1', 'exited'],
      ],
      want: false,
    },
    {
      name: 'a container the cache has not seen',
      seen: [
        ['sb', 'running'],
        ['c1', 'running'],
        ['c2', 'unknown'],
      ],
      want: false,
    },
    { name: 'a container removed since', seen: [['sb', 'running']], want: false },
    {
      name: 'a sandbox that stopped',
      seen: [
        ['sb', 'exited'],
        ['c1', 'running'],
      ],
      want: false,
    },
  ];
  it.each(agreement)('agrees with a relist that saw $name: $want', ({ seen, want }) => {
    const cache = new PodCache();
    cache.set('uid-1', running, cache.ticket());
    expect(cache.agreesWith('uid-1', new Map(seen))).toBe(want);
  });

  it('never agrees for a pod it holds nothing usable for', () => {
    const cache = new PodCache();
    expect(cache.agreesWith('uid-1', new Map())).toBe(false);
  });
});

describe('relistStatesOf', () => {
  it("maps runtime states onto the PLEG's: a created container is unknown, a stopped sandbox exited", () => {
    const status = runtimePod(
      [sandbox({ id: 'new' }), sandbox({ id: 'old', state: 'notready' })],
      [
        container('a', { id: 'a', state: 'created' }),
        container('b', { id: 'b' }),
        exited('c', 0, { id: 'c' }),
        container('d', { id: 'd', state: 'unknown' }),
      ],
    );
    expect(Object.fromEntries(relistStatesOf(status))).toEqual({
      new: 'running',
      old: 'exited',
      a: 'unknown',
      b: 'running',
      c: 'exited',
      d: 'unknown',
    });
  });
});
