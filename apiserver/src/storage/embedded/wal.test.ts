// The write-ahead log on disk: group commit, and recovery from torn or damaged files.
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dec, enc, openStore, tempDir } from './testing/fixtures.js';
import { segmentPath, SEGMENT_MAGIC } from './wal-segments.js';

describe('embedded storage: write-ahead log', () => {
  it('covers 64 concurrent writes with far fewer than 64 fsyncs', async () => {
    const s = await openStore(await tempDir());
    const before = s.stats().fsyncs;
    const writes = Array.from({ length: 64 }, (_, i) => s.create(`k/${i}`, enc(String(i))));
    const revisions = (await Promise.all(writes)).map((kv) => kv.modRevision);
    expect(new Set(revisions).size).toBe(64);
    expect(s.stats().fsyncs - before).toBeLessThanOrEqual(4);
    expect(s.stats().records).toBe(64);
  });

  it('recovers every acknowledged write after a clean close', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    const a = await s.create('a', enc('1'));
    await s.update('a', enc('2'), a.modRevision);
    await s.create('b', enc('1'));
    await s.delete('b');
    await s.close();
    const r = await openStore(dir);
    expect(await r.currentRevision()).toBe(4);
    expect(await r.get('a')).toMatchObject({ createRevision: 1, modRevision: 2, version: 2 });
    expect(dec((await r.get('b', { revision: 3 }))?.value)).toBe('1');
    expect((await r.create('c', enc('1'))).modRevision).toBe(5);
  });

  it('drops a torn last record cut at any byte, warns, and continues after the last good one', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    await s.create('a', enc('1'));
    await s.create('b', enc('2'));
    await s.close();
    const path = segmentPath(dir, 1);
    const goodEnd = (await stat(path)).size;
    const s2 = await openStore(dir);
    await s2.create('torn', enc('this record is cut short'));
    await s2.close();
    const full = await readFile(path);

    for (let cut = goodEnd + 1; cut < full.length; cut++) {
      await writeFile(path, full.subarray(0, cut));
      const warnings: string[] = [];
      const r = await openStore(dir, { warn: (m) => warnings.push(m) });
      expect([await r.currentRevision(), await r.get('torn')]).toEqual([2, undefined]);
      expect(warnings.join('\n')).toMatch(/dropping \d+ bytes of unacknowledged writes/);
      expect((await stat(path)).size).toBe(goodEnd);
      expect((await r.create('next', enc('x'))).modRevision).toBe(3);
      await r.close();
    }
  });

  it('detects a corrupted last record by its checksum and drops it', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    await s.create('a', enc('1'));
    await s.create('b', enc('payload'));
    await s.close();
    const path = segmentPath(dir, 1);
    const data = await readFile(path);
    data[data.length - 2] = (data[data.length - 2] ?? 0) ^ 0xff;
    await writeFile(path, data);
    const warnings: string[] = [];
    const r = await openStore(dir, { warn: (m) => warnings.push(m) });
    expect(await r.currentRevision()).toBe(1);
    expect(await r.get('b')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/checksum mismatch/);
  });

  it('refuses to open when a segment other than the newest is damaged', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    for (let i = 0; i < 3; i++) await s.create(`k/${i}`, enc('value'));
    await s.close();
    const data = await readFile(segmentPath(dir, 1));
    data[SEGMENT_MAGIC.length + 10] = (data[SEGMENT_MAGIC.length + 10] ?? 0) ^ 0xff;
    await writeFile(segmentPath(dir, 1), data);
    await writeFile(segmentPath(dir, 2), SEGMENT_MAGIC);
    await expect(openStore(dir)).rejects.toThrow(/corrupt .* not the newest segment/);
  });

  it('refuses to open a log whose revisions do not continue', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    for (let i = 0; i < 3; i++) await s.create(`k/${i}`, enc('value'));
    await s.close();
    await copyFile(segmentPath(dir, 1), segmentPath(dir, 2));
    await expect(openStore(dir)).rejects.toThrow(/skips from revision 3 to 1/);
  });

  it('refuses a file that is not a WAL segment', async () => {
    const dir = await tempDir();
    await writeFile(segmentPath(dir, 1), 'hello, world');
    await expect(openStore(dir)).rejects.toThrow(/not a skiff WAL segment/);
  });
});
