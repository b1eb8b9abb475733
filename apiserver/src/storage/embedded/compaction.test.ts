import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { dec, enc, openStore, take, tempDir } from './testing/fixtures.js';

describe('embedded storage: compaction', () => {
  it('keeps each key’s newest version at the compaction revision and drops older ones', async () => {
    const s = await openStore(await tempDir());
    let kv = await s.create('k', enc('0'));
    for (let i = 1; i <= 4; i++) kv = await s.update('k', enc(String(i)), kv.modRevision); // rev 5
    await s.create('gone', enc('x')); // rev 6
    await s.delete('gone'); // rev 7
    await s.update('k', enc('5'), kv.modRevision); // rev 8
    expect(s.stats().versions).toBe(8);
    await s.compact(7);
    // k keeps "4"@5 (visible at 7) and "5"@8; the deleted key and its tombstone are gone.
    expect(s.stats()).toMatchObject({ versions: 2, keys: 1 });
    expect(dec((await s.get('k', { revision: 7 }))?.value)).toBe('4');
    expect(await s.get('gone', { revision: 7 })).toBeUndefined();
    expect(dec((await s.get('k'))?.value)).toBe('5');
  });

  it('bounds the watch event history to the events at or after the compaction revision', async () => {
    const s = await openStore(await tempDir());
    for (let i = 0; i < 10; i++) await s.create(`k/${i}`, enc('x'));
    await s.compact(8);
    expect(s.stats().watchEvents).toBe(3);
    expect(await take(s.watch('k/', { afterRevision: 7 }), 3)).toEqual([
      'put k/7=x@8',
      'put k/8=x@9',
      'put k/9=x@10',
    ]);
  });

  it('lets a key removed by compaction be created again as new', async () => {
    const s = await openStore(await tempDir());
    await s.create('k', enc('1'));
    await s.delete('k');
    await s.compact(2);
    const again = await s.create('k', enc('2'));
    expect([again.createRevision, again.version]).toEqual([3, 1]);
    expect((await s.list('')).items.map((kv) => kv.key)).toEqual(['k']);
  });

  it('survives a restart: compacted history does not come back', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    for (let i = 0; i < 5; i++) await s.create(`k/${i}`, enc('x'));
    await s.compact(4);
    await s.close();
    const reopened = await openStore(dir);
    expect(await reopened.compactedRevision()).toBe(4);
    await expect(reopened.get('k/0', { revision: 3 })).rejects.toMatchObject({ code: 'Compacted' });
  });

  it('compacts periodically to the revision current at the previous tick', async () => {
    const clock = new FakeClock(0);
    const s = await openStore(await tempDir(), { clock, compactionIntervalMs: 1000 });
    const write = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await s.create(`k/${await s.currentRevision()}`, enc('x'));
    };
    await write(3); // revision 3; the store opened at revision 0
    await clock.advance(1000);
    expect(await s.compactedRevision()).toBe(0);
    await write(2); // revision 5
    await clock.advance(1000);
    expect(await s.compactedRevision()).toBe(3);
    await clock.advance(1000);
    expect(await s.compactedRevision()).toBe(5);
    await write(1);
    await clock.advance(1000);
    expect(await s.compactedRevision()).toBe(5);
    await clock.advance(1000);
    expect(await s.compactedRevision()).toBe(6);
  });

  it('stops compacting after close', async () => {
    const clock = new FakeClock(0);
    const s = await openStore(await tempDir(), { clock, compactionIntervalMs: 1000 });
    await s.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});
