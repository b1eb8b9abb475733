// Where a tar member lands inside a layer directory. Two rules keep every write inside it:
// member names are normalized and may not climb above the root, and symlinks met on the way
// (parents created earlier by the same layer) are resolved as if the layer dir were `/` — the
// way containerd's fs.RootPath does — so `a -> /etc` then `a/passwd` writes `<layer>/etc/passwd`,
// never the host's.
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageError } from '../errors.js';
import { isNotFound } from '../content-store.js';

const MAX_SYMLINKS = 40;

/** The member's path components, or throws if it escapes the root. [] is the root itself. */
export function memberComponents(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) {
        throw new ImageError(
          'InvalidArchive',
          `tar member ${JSON.stringify(name)} points outside the layer`,
        );
      }
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

/**
 * The host path for `components` under `root`: parents resolved through symlinks confined to
 * `root`, the last component left as is (a member replaces a symlink, it does not write through).
 */
export async function resolveInLayer(root: string, components: readonly string[]): Promise<string> {
  const parents = components.slice(0, -1);
  const last = components[components.length - 1];
  if (last === undefined) return root;
  const resolved = await resolveDir(root, parents);
  return join(root, ...resolved, last);
}

async function resolveDir(root: string, components: readonly string[]): Promise<string[]> {
  const resolved: string[] = [];
  const todo = [...components];
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = join(root, ...resolved, part);
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!isLink) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) {
      throw new ImageError(
        'InvalidArchive',
        `too many levels of symbolic links under ${candidate}`,
      );
    }
    const target = await readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    todo.unshift(...target.split('/'));
  }
  return resolved;
}
