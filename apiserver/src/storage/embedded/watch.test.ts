import { describe, expect, it } from 'vitest';
import { enc, openStore, take, tempDir } from './testing/fixtures.js';

async function freshStore() {
  return openStore(await tempDir());
}

describe('embedded storage: watch', () => {
  it('replays history after afterRevision with prevKv, then goes live without a gap', async () => {
    const s = await freshStore();
    const a = await s.create('pods/a', enc('1'));
    await s.update('pods/a', enc('2'), a.modRevision);
    await s.create('nodes/n', enc('x'));
    const w = s.watch('pods/', { afterRevision: a.modRevision });
    expect(await take(w, 1)).toEqual(['put pods/a=2@2 prev=1@1']);
    await s.delete('pods/a');
    await s.create('pods/b', enc('1'));
    expect(await take(w, 2)).toEqual(['delete pods/a@4 prev=2@2', 'put pods/b=1@5']);
  });

  it('delivers each event to every matching watcher, independently of their pace', async () => {
    const s = await freshStore();
    const fast = s.watch('k/', { afterRevision: 0 });
    const slow = s.watch('k/', { afterRevision: 0 });
    for (let i = 0; i < 5; i++) await s.create(`k/${i}`, enc(String(i)));
    expect(await take(fast, 5)).toHaveLength(5);
    expect(await take(slow, 5)).toEqual(expectedPuts(5));
  });

  it('does not hold back writers while a watcher consumes nothing', async () => {
    const s = await freshStore();
    s.watch('', { afterRevision: 0 });
    for (let i = 0; i < 2000; i++) await s.create(`k/${i}`, enc('x'));
    expect(await s.currentRevision()).toBe(2000);
  });

  it('ends a watcher that fell behind the retained history with Compacted', async () => {
    const s = await freshStore();
    const slow = s.watch('k/', { afterRevision: 0 });
    const iterator = slow[Symbol.asyncIterator]();
    for (let i = 0; i < 10; i++) await s.create(`k/${i}`, enc('x'));
    expect((await iterator.next()).value?.kv.key).toBe('k/0');
    await s.compact(8);
    await expect(iterator.next()).rejects.toMatchObject({ code: 'Compacted' });
    expect((await iterator.next()).done).toBe(true);
    expect(s.stats().watchers).toBe(0);
  });

  it('keeps a watcher that is within the retained history', async () => {
    const s = await freshStore();
    const w = s.watch('k/', { afterRevision: 0 });
    for (let i = 0; i < 10; i++) await s.create(`k/${i}`, enc('x'));
    expect(await take(w, 6)).toHaveLength(6);
    await s.compact(7);
    expect(await take(w, 4)).toEqual(['put k/6=x@7', 'put k/7=x@8', 'put k/8=x@9', 'put k/9=x@10']);
  });

  it('ends iteration when cancelled, also while waiting, and forgets the watcher', async () => {
    const s = await freshStore();
    const w = s.watch('k/');
    const waiting = w[Symbol.asyncIterator]().next();
    expect(s.stats().watchers).toBe(1);
    w.cancel();
    expect((await waiting).done).toBe(true);
    expect(s.stats().watchers).toBe(0);
  });

  it('stops the watch when a for-await loop breaks', async () => {
    const s = await freshStore();
    await s.create('k/1', enc('x'));
    for await (const event of s.watch('k/', { afterRevision: 0 })) {
      expect(event.kv.key).toBe('k/1');
      break;
    }
    expect(s.stats().watchers).toBe(0);
  });

  it('waits for a future afterRevision and delivers only what comes after it', async () => {
    const s = await freshStore();
    const w = s.watch('k/', { afterRevision: 2 });
    for (let i = 1; i <= 4; i++) await s.create(`k/${i}`, enc('x'));
    expect(await take(w, 2)).toEqual(['put k/3=x@3', 'put k/4=x@4']);
  });
});

function expectedPuts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `put k/${i}=${i}@${i + 1}`);
}
