// Applies one layer changeset (a tar) to an empty directory so the directory can serve as an
// overlayfs lowerdir. Docker/OCI whiteouts become overlay's own markers:
//   `.wh.<name>`    → a 0/0 character device named <name> (overlay hides <name> of lower layers)
//   `.wh..wh..opq`  → xattr trusted.overlay.opaque=y on its directory (lower contents hidden)
// Ownership, modes (with setuid bits) and xattrs are applied in that order, because chown
// clears setuid bits and file capabilities.
import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { basename, dirname } from 'node:path';
import { ImageError, messageOf } from '../errors.js';
import type { TarEntry } from '../tar/entry.js';
import { readTar } from '../tar/reader.js';
import { isNotFound } from '../content-store.js';
import { mknod, setXattr } from './host-tools.js';
import { memberComponents, resolveInLayer } from './layer-path.js';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
export const OPAQUE_XATTR = 'trusted.overlay.opaque';
/** Xattrs a layer may not set itself: overlay markers come only from whiteout files. */
const FORBIDDEN_XATTR_PREFIX = 'trusted.overlay.';

export interface ApplyStats {
  readonly entries: number;
  readonly whiteouts: number;
  readonly opaqueDirs: number;
}

/** Unpacks the tar stream `source` into `root` (an existing, empty directory). */
export async function applyLayer(
  root: string,
  source: AsyncIterable<Uint8Array>,
): Promise<ApplyStats> {
  let entries = 0;
  let whiteouts = 0;
  let opaqueDirs = 0;
  // Directory mtimes change as children are added, so they are set last.
  const dirTimes: { path: string; mtime: number }[] = [];

  for await (const { entry, body } of readTar(source)) {
    entries++;
    const components = memberComponents(entry.path);
    const name = components[components.length - 1];

    if (name === OPAQUE_MARKER) {
      const dir = await resolveInLayer(root, components.slice(0, -1));
      await mkdir(dir, { recursive: true });
      await setXattr(dir, OPAQUE_XATTR, Buffer.from('y'));
      opaqueDirs++;
      continue;
    }
    if (name !== undefined && name.startsWith(WHITEOUT_PREFIX)) {
      // `.wh..wh.*` other than the opaque marker are AUFS bookkeeping with no meaning here.
      if (name.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) continue;
      const target = await resolveInLayer(root, [
        ...components.slice(0, -1),
        name.slice(WHITEOUT_PREFIX.length),
      ]);
      await prepareParent(target);
      await removeExisting(target, false);
      await mknod(target, 'char', 0, 0);
      whiteouts++;
      continue;
    }

    const path = await resolveInLayer(root, components);
    try {
      await createMember(root, path, entry, body);
    } catch (err) {
      if (err instanceof ImageError) throw err;
      throw new ImageError(
        'InvalidArchive',
        `cannot unpack ${JSON.stringify(entry.path)}: ${messageOf(err)}`,
        {
          cause: err,
        },
      );
    }
    if (entry.type === 'directory') dirTimes.push({ path, mtime: entry.mtime });
  }

  for (const { path, mtime } of dirTimes.reverse()) await utimes(path, mtime, mtime);
  return { entries, whiteouts, opaqueDirs };
}

async function createMember(
  root: string,
  path: string,
  entry: TarEntry,
  body: AsyncIterable<Buffer>,
): Promise<void> {
  if (path === root) {
    // The archive's "./" entry describes the layer root itself.
    await lchown(root, entry.uid, entry.gid);
    await chmod(root, entry.mode);
    return;
  }
  await prepareParent(path);
  await removeExisting(path, entry.type === 'directory');

  switch (entry.type) {
    case 'directory':
      await mkdir(path, { recursive: true });
      break;
    case 'file':
      await pipeline(body, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      break;
    case 'symlink':
      await symlink(entry.linkname, path);
      break;
    case 'hardlink': {
      const target = await resolveInLayer(root, memberComponents(entry.linkname));
      try {
        await link(target, path);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        throw new ImageError(
          'InvalidArchive',
          `hardlink ${JSON.stringify(entry.path)} points to ${JSON.stringify(entry.linkname)}, which is not in this layer`,
        );
      }
      // A hardlink shares its target's inode: owner, mode and times are already the target's.
      return;
    }
    case 'chardev':
    case 'blockdev':
      await mknod(
        path,
        entry.type === 'chardev' ? 'char' : 'block',
        entry.devmajor,
        entry.devminor,
      );
      break;
    case 'fifo':
      await mknod(path, 'fifo');
      break;
  }

  await lchown(path, entry.uid, entry.gid);
  if (entry.type !== 'symlink') await chmod(path, entry.mode);
  for (const [name, value] of Object.entries(entry.xattrs)) {
    if (name.startsWith(FORBIDDEN_XATTR_PREFIX)) continue;
    await setXattr(path, name, value);
  }
  if (entry.type !== 'directory') await lutimes(path, entry.mtime, entry.mtime);
}

/** Parents may be missing (layers need not list them); created like Docker does, 0755 root. */
async function prepareParent(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
}

/** Clears the way for a new member: anything there is replaced, except a dir by a dir. */
async function removeExisting(path: string, keepDirectory: boolean): Promise<void> {
  try {
    const st = await lstat(path);
    if (keepDirectory && st.isDirectory()) return;
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    if (isNotFound(err)) return;
    throw new ImageError('InvalidArchive', `cannot replace ${basename(path)}: ${messageOf(err)}`, {
      cause: err,
    });
  }
}
