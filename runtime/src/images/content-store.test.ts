import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentStore } from './content-store.js';
import { sha256Of } from './digest.js';
import { isImageError } from './errors.js';
import { chunked, withTempDir } from './testing/temp-dir.js';

async function openStore(dir: string): Promise<ContentStore> {
  const store = new ContentStore(dir, join(dir, 'tmp'));
  await store.init();
  return store;
}

describe('ContentStore', () => {
  it('stores a streamed blob under its digest after verifying it', () =>
    withTempDir(async (dir) => {
      const store = await openStore(dir);
      const data = Buffer.from('x'.repeat(10_000));
      const digest = sha256Of(data);
      await store.write(chunked(data), { digest, size: data.length });
      expect(await readFile(join(dir, 'blobs', 'sha256', digest.slice(7)))).toEqual(data);
      expect(await store.list()).toEqual([digest]);
      expect(await store.sizeOf(digest)).toBe(10_000);
    }));

  it.each([
    ['content that hashes differently', Buffer.from('evil'), undefined],
    ['content longer than the descriptor says', Buffer.from('good content'), 4],
    ['content shorter than the descriptor says', Buffer.from('good content'), 400],
  ])('refuses %s and leaves nothing behind', (_what, data, size) =>
    withTempDir(async (dir) => {
      const store = await openStore(dir);
      const digest = sha256Of('good content');
      const err = await store
        .write(chunked(data, 3), { digest, ...(size !== undefined && { size }) })
        .catch((e: unknown) => e);
      expect(isImageError(err, 'DigestMismatch')).toBe(true);
      expect(await store.has(digest)).toBe(false);
      expect(await readdir(join(dir, 'blobs', 'sha256'))).toEqual([]);
      expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    }),
  );

  it('adopts a staged file, returning its digest and size', () =>
    withTempDir(async (dir) => {
      const store = await openStore(dir);
      const staged = join(dir, 'tmp', 'staged');
      await writeFile(staged, 'layer bytes');
      const seen: string[] = [];
      const adopted = await store.adopt(staged, undefined, (d) => seen.push(d));
      expect(adopted).toEqual({ digest: sha256Of('layer bytes'), size: 11 });
      expect(seen).toEqual([adopted.digest]);
      expect((await store.read(adopted.digest)).toString()).toBe('layer bytes');
    }));

  it('reports a missing blob as NotFound', () =>
    withTempDir(async (dir) => {
      const store = await openStore(dir);
      const err = await store.read(sha256Of('nothing')).catch((e: unknown) => e);
      expect(isImageError(err, 'NotFound')).toBe(true);
    }));
});
