// Reading a file of an image (its /etc/passwd) from the host is reading untrusted paths: a layer
// may make /etc/passwd a symlink to /etc/shadow or to ../../../../host/secret. Symlinks are
// therefore followed the way the container would see them, with the rootfs as "/", never
// leaving it, like chroot-style resolution (filepath-securejoin in Go runtimes).
import { lstat, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';

const maxSymlinks = 40;

/** The host path of `path` as seen inside `root`, or undefined if some component is missing. */
export async function resolveInRoot(root: string, path: string): Promise<string | undefined> {
  const pending = posix.normalize(`/${path}`).split('/').filter(Boolean);
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const hostPath = join(root, ...resolved, part);
    let stats;
    try {
      stats = await lstat(hostPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`resolving ${path} in ${root}: ${(err as Error).message}`, { cause: err });
    }
    if (!stats.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    links += 1;
    if (links > maxSymlinks) throw new Error(`resolving ${path} in ${root}: too many symlinks`);
    const target = await readlink(hostPath);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return join(root, ...resolved);
}
