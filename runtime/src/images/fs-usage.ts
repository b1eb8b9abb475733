// Disk use of a directory tree, as the kubelet's image GC wants it: bytes actually allocated
// (st_blocks, so sparse files and small files count what they occupy) and inodes, each inode
// counted once however many hardlinks point to it.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from './content-store.js';

export interface FsUsage {
  readonly usedBytes: number;
  readonly inodesUsed: number;
}

export async function fsUsage(root: string): Promise<FsUsage> {
  const seen = new Set<string>();
  let usedBytes = 0;
  const visit = async (path: string): Promise<void> => {
    let st;
    try {
      st = await lstat(path, { bigint: true });
    } catch (err) {
      // Removed while we walked (a layer being garbage collected): it no longer uses space.
      if (isNotFound(err)) return;
      throw err;
    }
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    usedBytes += Number(st.blocks) * 512;
    if (!st.isDirectory()) return;
    let names: string[];
    try {
      names = await readdir(path);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    for (const name of names) await visit(join(path, name));
  };
  await visit(root);
  return { usedBytes, inodesUsed: seen.size };
}
