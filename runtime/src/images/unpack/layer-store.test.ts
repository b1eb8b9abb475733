import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildLayer, type BuiltLayer } from '../build/image-builder.js';
import { sha256Of } from '../digest.js';
import { isImageError } from '../errors.js';
import type { TarWriteEntry } from '../tar/writer.js';
import { withTempDir } from '../testing/temp-dir.js';
import { OPAQUE_XATTR } from './apply-layer.js';
import { getXattr } from './host-tools.js';
import { LayerStore } from './layer-store.js';

const run = promisify(execFile);

async function unpack(dir: string, layer: BuiltLayer): Promise<string> {
  const blob = join(dir, `blob-${layer.digest.slice(7, 19)}`);
  await writeFile(blob, layer.bytes);
  const store = new LayerStore(join(dir, 'layers'), join(dir, 'tmp'));
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await store.init();
  return store.ensure(layer.diffId, {
    path: blob,
    compression: undefined,
    description: 'test layer',
  });
}

const lower: TarWriteEntry[] = [
  { path: 'etc/', type: 'directory' },
  { path: 'etc/keep', data: 'kept' },
  { path: 'etc/delete-me', data: 'gone' },
  { path: 'cache/', type: 'directory' },
  { path: 'cache/old-1', data: 'old' },
  { path: 'cache/old-2', data: 'old' },
];

const upper: TarWriteEntry[] = [
  { path: 'etc/.wh.delete-me' },
  { path: 'cache/', type: 'directory' },
  { path: 'cache/.wh..wh..opq' },
  { path: 'cache/new', data: 'new' },
];

describe('LayerStore', () => {
  it('unpacks files, directories, symlinks, hardlinks, modes and owners', () =>
    withTempDir(async (dir) => {
      const layer = buildLayer({
        gzip: true,
        entries: [
          { path: './', type: 'directory', mode: 0o755 },
          { path: 'bin/', type: 'directory', mode: 0o711, uid: 2, gid: 3 },
          { path: 'bin/tool', data: '#!/bin/sh\n', mode: 0o4755, uid: 1000, gid: 1001 },
          { path: 'bin/alias', type: 'hardlink', linkname: 'bin/tool' },
          { path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
          { path: 'deep/missing/parents/file', data: 'x', mtime: 1_000_000 },
          {
            path: 'with-xattrs',
            data: 'x',
            xattrs: { 'user.origin': 'layer', 'trusted.overlay.opaque': 'y' },
          },
        ],
      });
      const root = await unpack(dir, layer);
      expect(root).toBe(join(dir, 'layers', layer.diffId.slice(7)));
      const binDir = await lstat(join(root, 'bin'));
      expect([binDir.mode & 0o7777, binDir.uid, binDir.gid]).toEqual([0o711, 2, 3]);
      const tool = await lstat(join(root, 'bin/tool'));
      expect([tool.mode & 0o7777, tool.uid, tool.gid]).toEqual([0o4755, 1000, 1001]);
      expect((await lstat(join(root, 'bin/alias'))).ino).toBe(tool.ino);
      expect(await readlink(join(root, 'bin/sh'))).toBe('/bin/busybox');
      const deep = await lstat(join(root, 'deep/missing/parents/file'));
      expect(deep.mtimeMs).toBe(1_000_000_000);
      // A layer's own xattrs are kept, but it may not forge overlay markers.
      expect(await getXattr(join(root, 'with-xattrs'), 'user.origin')).toEqual(
        Buffer.from('layer'),
      );
      expect(await getXattr(join(root, 'with-xattrs'), OPAQUE_XATTR)).toBeUndefined();
    }));

  it('turns a whiteout into a 0/0 character device and an opaque marker into the overlay xattr', () =>
    withTempDir(async (dir) => {
      const root = await unpack(dir, buildLayer({ entries: upper }));
      const whiteout = await lstat(join(root, 'etc/delete-me'));
      expect(whiteout.isCharacterDevice()).toBe(true);
      expect(whiteout.rdev).toBe(0);
      expect(await readdir(join(root, 'etc'))).toEqual(['delete-me']);
      expect(await getXattr(join(root, 'cache'), OPAQUE_XATTR)).toEqual(Buffer.from('y'));
      expect(await getXattr(join(root, 'etc'), OPAQUE_XATTR)).toBeUndefined();
      expect(await readdir(join(root, 'cache'))).toEqual(['new']);
    }));

  it('gives the right merged view when the layers are mounted as overlayfs lowerdirs', () =>
    withTempDir(async (dir) => {
      const lowerDir = await unpack(dir, buildLayer({ entries: lower }));
      const upperDir = await unpack(dir, buildLayer({ entries: upper, gzip: true }));
      const merged = join(dir, 'merged');
      await mkdir(merged);
      // overlayfs lists lowerdirs top first.
      await run('mount', [
        '-t',
        'overlay',
        'overlay',
        '-o',
        `lowerdir=${upperDir}:${lowerDir}`,
        merged,
      ]);
      try {
        expect((await readdir(join(merged, 'etc'))).sort()).toEqual(['keep']);
        expect(await readFile(join(merged, 'etc/keep'), 'utf8')).toBe('kept');
        expect(await readdir(join(merged, 'cache'))).toEqual(['new']);
      } finally {
        await run('umount', [merged]);
      }
    }));

  it.each<[string, TarWriteEntry[]]>([
    ['a ../ member', [{ path: '../escape', data: 'x' }]],
    ['a member climbing out through a/../..', [{ path: 'a/../../escape', data: 'x' }]],
    [
      'a hardlink to a file outside the layer',
      [{ path: 'h', type: 'hardlink', linkname: '../../etc/passwd' }],
    ],
  ])('refuses %s and leaves nothing behind', (_what, entries) =>
    withTempDir(async (dir) => {
      const err = await unpack(dir, buildLayer({ entries })).catch((e: unknown) => e);
      expect(isImageError(err, 'InvalidArchive')).toBe(true);
      expect(await readdir(join(dir, 'layers'))).toEqual([]);
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
      expect(await readdir(dir)).not.toContain('escape');
    }),
  );

  it('writes through a symlinked parent inside the layer, never to the host path it names', () =>
    withTempDir(async (dir) => {
      const outside = join(dir, 'outside');
      await mkdir(outside);
      const root = await unpack(
        dir,
        buildLayer({
          entries: [
            { path: 'link', type: 'symlink', linkname: outside },
            { path: 'up', type: 'symlink', linkname: '../../../..' },
            { path: 'link/file', data: 'inside' },
            { path: 'up/file2', data: 'inside too' },
          ],
        }),
      );
      expect(await readdir(outside)).toEqual([]);
      expect(await readFile(join(root, outside, 'file'), 'utf8')).toBe('inside');
      expect(await readFile(join(root, 'file2'), 'utf8')).toBe('inside too');
    }));

  it('rejects a layer whose content does not match its diff ID, keeping nothing', () =>
    withTempDir(async (dir) => {
      const layer = { ...buildLayer({ entries: lower }), diffId: sha256Of('another layer') };
      const err = await unpack(dir, layer).catch((e: unknown) => e);
      expect(isImageError(err, 'DigestMismatch')).toBe(true);
      expect(await readdir(join(dir, 'layers'))).toEqual([]);
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    }));

  it('rejects a truncated gzip layer with InvalidArchive', () =>
    withTempDir(async (dir) => {
      const layer = buildLayer({ entries: lower, gzip: true });
      const err = await unpack(dir, {
        ...layer,
        bytes: layer.bytes.subarray(0, layer.bytes.length - 30),
      }).catch((e: unknown) => e);
      expect(isImageError(err, 'InvalidArchive')).toBe(true);
      expect((err as Error).message).toContain('test layer');
      expect(await readdir(join(dir, 'layers'))).toEqual([]);
    }));
});
