import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTar, type TarWriteEntry } from '../tar/writer.js';
import { StagedArchive } from './staged-archive.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function stage(entries: readonly TarWriteEntry[]): Promise<StagedArchive> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-staged-'));
  dirs.push(dir);
  const tar = writeTar(entries);
  return StagedArchive.stage(Readable.from([tar]), tar.subarray(0, 512), join(dir, 'members'));
}

describe('StagedArchive', () => {
  it('keeps the later of two members with the same path, and the members after them', async () => {
    const archive = await stage([
      { path: 'layer/layer.tar', data: 'first' },
      { path: 'layer/layer.tar', data: 'second' },
      { path: 'manifest.json', data: '[]' },
    ]);
    expect((await archive.read('layer/layer.tar', 'layer')).toString()).toBe('second');
    expect((await archive.read('manifest.json', 'manifest')).toString()).toBe('[]');
  });

  it('resolves a hardlink and a relative symlink to the member they name', async () => {
    const archive = await stage([
      { path: 'a/layer.tar', data: 'bytes' },
      { path: 'b/layer.tar', type: 'hardlink', linkname: 'a/layer.tar' },
      { path: 'c/layer.tar', type: 'symlink', linkname: '../a/layer.tar' },
    ]);
    for (const name of ['b/layer.tar', 'c/layer.tar']) {
      expect((await archive.read(name, name)).toString()).toBe('bytes');
    }
  });

  it('reports a missing member as an invalid archive naming what was looked for', async () => {
    const archive = await stage([{ path: 'manifest.json', data: '[]' }]);
    expect(() => archive.require('blobs/sha256/abc', 'the image config')).toThrow(
      /the image config/,
    );
  });
});
