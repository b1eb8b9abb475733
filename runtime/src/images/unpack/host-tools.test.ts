import { lstat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../testing/temp-dir.js';
import { getXattr, mknod, setXattr, type XattrTool } from './host-tools.js';

describe('host tools', () => {
  it.each<[XattrTool, XattrTool]>([
    ['setfattr', 'python3'],
    ['python3', 'setfattr'],
  ])('sets a trusted xattr with %s that %s reads back', (writer, reader) =>
    withTempDir(async (dir) => {
      const file = join(dir, 'f');
      await writeFile(file, '');
      await setXattr(file, 'trusted.overlay.opaque', Buffer.from('y'), writer);
      await setXattr(file, 'user.binary', Buffer.from([0, 255, 10]), writer);
      expect(await getXattr(file, 'trusted.overlay.opaque', reader)).toEqual(Buffer.from('y'));
      expect(await getXattr(file, 'user.binary', reader)).toEqual(Buffer.from([0, 255, 10]));
      expect(await getXattr(file, 'user.absent', reader)).toBeUndefined();
    }),
  );

  it('makes the 0/0 character device overlayfs reads as a whiteout', () =>
    withTempDir(async (dir) => {
      await mknod(join(dir, 'wh'), 'char', 0, 0);
      const st = await lstat(join(dir, 'wh'));
      expect([st.isCharacterDevice(), st.rdev]).toEqual([true, 0]);
    }));
});
