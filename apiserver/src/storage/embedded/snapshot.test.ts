// Snapshots and log truncation, including the crash windows between their steps.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dec, enc, openStore, take, tempDir } from './testing/fixtures.js';
import { encodeWalRecord } from './wal-record.js';
import { segmentPath, SEGMENT_MAGIC } from './wal-segments.js';

const SNAPSHOT = 'snapshot.bin';

/** 25 writes to keys k/0..k/4 (creates, updates, one delete) with snapshots every 10 records. */
async function storeWithSnapshots(dir: string) {
  const s = await openStore(dir, { snapshotEveryRecords: 10 });
  for (let i = 0; i < 5; i++) await s.create(`k/${i}`, enc(`${i}.0`));
  for (let round = 1; round <= 4; round++) {
    for (let i = 0; i < 5; i++) {
      const kv = await s.get(`k/${i}`);
      if (kv) await s.update(`k/${i}`, enc(`${i}.${round}`), kv.modRevision);
    }
  }
  await s.delete('k/4'); // revision 26
  return s;
}

describe('embedded storage: snapshots', () => {
  it('snapshots after the configured number of records and deletes the covered log', async () => {
    const dir = await tempDir();
    const s = await storeWithSnapshots(dir);
    await s.close(); // waits for a snapshot in flight
    const stats = s.stats();
    expect(stats.snapshots).toBeGreaterThanOrEqual(2);
    expect(stats.rotations).toBeGreaterThanOrEqual(2);
    const segments = (await readdir(dir)).filter((n) => n.startsWith('wal-'));
    expect(segments).toHaveLength(1);
  });

  it('restores the same state after a restart, with history before the snapshot compacted', async () => {
    const dir = await tempDir();
    const s = await storeWithSnapshots(dir);
    const before = (await s.list('')).items;
    await s.close();
    const r = await openStore(dir);
    const snapshotRevision = r.stats().snapshotRevision;
    expect(snapshotRevision).toBeGreaterThan(0);
    expect(await r.currentRevision()).toBe(26);
    expect((await r.list('')).items).toEqual(before);
    expect(await r.compactedRevision()).toBe(snapshotRevision);
    await expect(r.get('k/0', { revision: snapshotRevision - 1 })).rejects.toMatchObject({
      code: 'Compacted',
    });
    expect((await r.create('k/9', enc('new'))).modRevision).toBe(27);
  });

  it('keeps the event of the snapshot revision so a watch from the compacted revision has no gap', async () => {
    const dir = await tempDir();
    const s = await openStore(dir, { snapshotEveryRecords: 3 });
    const a = await s.create('k', enc('1'));
    const b = await s.update('k', enc('2'), a.modRevision);
    await s.update('k', enc('3'), b.modRevision); // revision 3: snapshot at 3
    await s.close();
    const r = await openStore(dir);
    expect(await r.compactedRevision()).toBe(3);
    expect(await take(r.watch('', { afterRevision: 2 }), 1)).toEqual(['put k=3@3 prev=2@2']);
    await expect(
      r.watch('', { afterRevision: 1 })[Symbol.asyncIterator]().next(),
    ).rejects.toMatchObject({ code: 'Compacted' });
  });

  it('keeps a deletion as the snapshot revision’s event, with its prevKv', async () => {
    const dir = await tempDir();
    const s = await openStore(dir, { snapshotEveryRecords: 2 });
    await s.create('k', enc('1'));
    await s.delete('k'); // revision 2: snapshot at 2, whose state no longer holds k
    await s.close();
    const r = await openStore(dir);
    expect(await r.get('k')).toBeUndefined();
    expect(await take(r.watch('', { afterRevision: 1 }), 1)).toEqual(['delete k@2 prev=1@1']);
  });

  it('ignores a half-written snapshot left by a crash and recovers from the log', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    for (let i = 0; i < 5; i++) await s.create(`k/${i}`, enc('x'));
    await s.close();
    await writeFile(join(dir, 'snapshot.tmp'), 'partial garbage');
    const r = await openStore(dir);
    expect(await r.currentRevision()).toBe(5);
    expect(await readdir(dir)).not.toContain('snapshot.tmp');
  });

  it('skips log records the snapshot covers when old segments survived a crash', async () => {
    const dir = await tempDir();
    const s = await openStore(dir, { snapshotEveryRecords: 10 });
    for (let i = 1; i <= 12; i++) await s.create(`k/${i}`, enc(`v${i}`));
    await s.close();
    // The crash window: snapshot renamed into place, old segment not yet deleted.
    const oldSegment = Array.from({ length: 10 }, (_, i) =>
      encodeWalRecord({ type: 'put', revision: i + 1, key: `k/${i + 1}`, value: enc(`v${i + 1}`) }),
    );
    await writeFile(segmentPath(dir, 1), Buffer.concat([SEGMENT_MAGIC, ...oldSegment]));
    const r = await openStore(dir);
    expect(await r.currentRevision()).toBe(12);
    expect((await r.get('k/3'))?.version).toBe(1);
    expect(dec((await r.get('k/12'))?.value)).toBe('v12');
    expect(await readdir(dir)).not.toContain('wal-0000000000000001.log');
  });

  it('refuses to open from a damaged snapshot instead of losing data silently', async () => {
    const dir = await tempDir();
    const s = await storeWithSnapshots(dir);
    await s.close();
    const data = await readFile(join(dir, SNAPSHOT));
    data[data.length - 20] = (data[data.length - 20] ?? 0) ^ 0xff;
    await writeFile(join(dir, SNAPSHOT), data);
    await expect(openStore(dir)).rejects.toThrow(/snapshot.bin is corrupt/);
  });

  it('snapshots by log size as well as by record count', async () => {
    const dir = await tempDir();
    const s = await openStore(dir, { snapshotEveryBytes: 64 * 1024 });
    for (let i = 0; i < 10; i++) await s.create(`k/${i}`, new Uint8Array(10_000));
    await s.close();
    expect(s.stats().snapshots).toBeGreaterThanOrEqual(1);
    const r = await openStore(dir);
    expect((await r.list('k/')).items).toHaveLength(10);
  });
});
