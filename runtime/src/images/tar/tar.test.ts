import { describe, expect, it } from 'vitest';
import { isImageError } from '../errors.js';
import { chunked } from '../testing/temp-dir.js';
import type { TarEntry } from './entry.js';
import { readTar } from './reader.js';
import { writeTar, type TarWriteEntry } from './writer.js';

async function readAll(data: Buffer): Promise<{ entry: TarEntry; body: string }[]> {
  const out: { entry: TarEntry; body: string }[] = [];
  for await (const { entry, body } of readTar(chunked(data))) {
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(chunk);
    out.push({ entry, body: Buffer.concat(parts).toString('utf8') });
  }
  return out;
}

describe('tar reader and writer', () => {
  it('round-trips every entry type with its metadata', async () => {
    const entries: TarWriteEntry[] = [
      { path: 'dir/', type: 'directory', mode: 0o750, uid: 1000, gid: 1001, mtime: 1_700_000_000 },
      { path: 'dir/file', data: 'hello', mode: 0o4755 },
      { path: 'dir/link', type: 'symlink', linkname: '/etc/passwd' },
      { path: 'dir/hard', type: 'hardlink', linkname: 'dir/file' },
      { path: 'dev/null', type: 'chardev', devmajor: 1, devminor: 3, mode: 0o666 },
      { path: 'fifo', type: 'fifo' },
    ];
    const read = await readAll(writeTar(entries));
    expect(read.map((r) => [r.entry.path, r.entry.type])).toEqual([
      ['dir/', 'directory'],
      ['dir/file', 'file'],
      ['dir/link', 'symlink'],
      ['dir/hard', 'hardlink'],
      ['dev/null', 'chardev'],
      ['fifo', 'fifo'],
    ]);
    expect(read[0]?.entry).toMatchObject({
      mode: 0o750,
      uid: 1000,
      gid: 1001,
      mtime: 1_700_000_000,
    });
    expect(read[1]).toMatchObject({ body: 'hello', entry: { mode: 0o4755, size: 5 } });
    expect(read[2]?.entry.linkname).toBe('/etc/passwd');
    expect(read[4]?.entry).toMatchObject({ devmajor: 1, devminor: 3 });
  });

  it('carries long names, long link targets, big ids and xattrs through pax headers', async () => {
    const longPath = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
    const read = await readAll(
      writeTar([
        {
          path: longPath,
          data: 'x',
          uid: 10_000_000,
          xattrs: { 'security.capability': Buffer.from([1, 2]) },
        },
        { path: 'l', type: 'symlink', linkname: 't'.repeat(300) },
      ]),
    );
    expect(read[0]?.entry.path).toBe(longPath);
    expect(read[0]?.entry.uid).toBe(10_000_000);
    expect(read[0]?.entry.xattrs['security.capability']).toEqual(Buffer.from([1, 2]));
    expect(read[1]?.entry.linkname).toBe('t'.repeat(300));
  });

  it('skips bodies the consumer did not read', async () => {
    const names: string[] = [];
    const tar = writeTar([
      { path: 'a', data: 'x'.repeat(5000) },
      { path: 'b', data: 'y' },
    ]);
    for await (const { entry } of readTar(chunked(tar))) names.push(entry.path);
    expect(names).toEqual(['a', 'b']);
  });

  it.each([
    ['cut in the middle of a body', (t: Buffer) => t.subarray(0, 700)],
    ['cut before the end-of-archive marker', (t: Buffer) => t.subarray(0, t.length - 1024)],
    ['a corrupted header', (t: Buffer) => Buffer.concat([Buffer.from('garbage'), t.subarray(7)])],
    ['not a tar at all', () => Buffer.from('{"this":"is json"}'.padEnd(1024, ' '))],
  ])('rejects an archive with %s', async (_what, damage) => {
    const tar = writeTar([{ path: 'a', data: 'x'.repeat(2000) }]);
    const err = await readAll(damage(tar)).catch((e: unknown) => e);
    expect(isImageError(err, 'InvalidArchive')).toBe(true);
  });
});
