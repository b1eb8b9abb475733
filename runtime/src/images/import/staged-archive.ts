// An image archive unpacked into a scratch directory, so its members can be read in any order
// (docker-archive puts manifest.json last) and moved into the content store without a copy.
// Members are stored under numbered names, never under their archive paths, so no name in the
// archive can reach outside the scratch dir; symlinks and hardlinks between members (old
// `docker save` links duplicate layers) are resolved by name inside the archive.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageError, messageOf } from '../errors.js';
import { readTar } from '../tar/reader.js';
import { decompress, sniffCompression } from '../unpack/decompress.js';
import { memberComponents } from '../unpack/layer-path.js';

const MAX_LINK_HOPS = 16;

export class StagedArchive {
  private constructor(
    private readonly files: ReadonlyMap<string, string>,
    private readonly links: ReadonlyMap<string, string>,
  ) {}

  /** Unpacks `archive` (a tar, optionally gzip-compressed) into the empty directory `dir`. */
  static async stage(archive: Readable, head: Uint8Array, dir: string): Promise<StagedArchive> {
    await mkdir(dir, { recursive: true });
    const files = new Map<string, string>();
    const links = new Map<string, string>();
    try {
      await StagedArchive.unpack(archive, head, dir, files, links);
    } catch (err) {
      if (err instanceof ImageError) throw err;
      // zlib and fs errors: a corrupt gzip stream, or a member that cannot be written.
      throw new ImageError('InvalidArchive', `cannot read the archive: ${messageOf(err)}`, {
        cause: err,
      });
    }
    return new StagedArchive(files, links);
  }

  private static async unpack(
    archive: Readable,
    head: Uint8Array,
    dir: string,
    files: Map<string, string>,
    links: Map<string, string>,
  ): Promise<void> {
    // Scratch names count members, not distinct names: an archive may carry one path twice
    // (tar appends; the later member wins, as tar itself extracts it).
    let staged = 0;
    for await (const { entry, body } of readTar(decompress(archive, sniffCompression(head)))) {
      const name = memberComponents(entry.path).join('/');
      if (entry.type === 'file') {
        const scratch = join(dir, `m${staged++}`);
        await pipeline(body, createWriteStream(scratch, { flags: 'wx' }));
        files.set(name, scratch);
        links.delete(name);
      } else if (entry.type === 'symlink') {
        const target = entry.linkname.startsWith('/')
          ? entry.linkname
          : posix.join(posix.dirname(`/${name}`), entry.linkname);
        links.set(name, memberComponents(target).join('/'));
      } else if (entry.type === 'hardlink') {
        links.set(name, memberComponents(entry.linkname).join('/'));
      }
    }
  }

  /** The scratch file holding member `name`, following links; undefined if absent. */
  file(name: string): string | undefined {
    let current = memberComponents(name).join('/');
    for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      const staged = this.files.get(current);
      if (staged !== undefined) return staged;
      const target = this.links.get(current);
      if (target === undefined) return undefined;
      current = target;
    }
    throw new ImageError('InvalidArchive', `archive member ${JSON.stringify(name)} is a link loop`);
  }

  has(name: string): boolean {
    return this.file(name) !== undefined;
  }

  /** Member `name`'s bytes; a missing member is an InvalidArchive error naming `what`. */
  async read(name: string, what: string): Promise<Buffer> {
    return readFile(this.require(name, what));
  }

  require(name: string, what: string): string {
    const file = this.file(name);
    if (file === undefined)
      throw new ImageError('InvalidArchive', `archive has no ${what} (${name})`);
    return file;
  }
}
