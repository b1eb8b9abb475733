// Blobs (layers, configs, manifests) stored by digest under `blobs/sha256/<hex>`. A blob reaches
// its final name only after its bytes were hashed and matched the digest it is stored under, via
// a temp file and a rename, so a crash or a bad download never leaves a wrong or partial blob
// where a reader would trust it.
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Digester, digestHex, isDigest, type Digest } from './digest.js';
import { ImageError } from './errors.js';

export interface ExpectedContent {
  readonly digest: Digest;
  /** Known size (from a descriptor): the stream is cut off as soon as it runs past it. */
  readonly size?: number;
}

export class ContentStore {
  readonly blobsDir: string;

  /** `tmpDir` must be on the same filesystem as `blobsDir`, so finishing a write is a rename. */
  constructor(
    imagesDir: string,
    readonly tmpDir: string,
  ) {
    this.blobsDir = join(imagesDir, 'blobs', 'sha256');
  }

  async init(): Promise<void> {
    await mkdir(this.blobsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  path(digest: Digest): string {
    return join(this.blobsDir, digestHex(digest));
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.sizeOf(digest)) !== undefined;
  }

  /** The stored size, or undefined when the blob is absent. */
  async sizeOf(digest: Digest): Promise<number | undefined> {
    try {
      return (await stat(this.path(digest))).size;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async read(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.path(digest));
    } catch (err) {
      if (isNotFound(err))
        throw new ImageError('NotFound', `blob ${digest} is not in the content store`);
      throw err;
    }
  }

  openStream(digest: Digest): ReadStream {
    return createReadStream(this.path(digest));
  }

  /**
   * Stores `source` as `expected.digest`. Throws DigestMismatch (and keeps nothing) if the bytes
   * hash to something else or their length differs from `expected.size`.
   */
  async write(
    source: AsyncIterable<Uint8Array> | Uint8Array,
    expected: ExpectedContent,
  ): Promise<void> {
    const temp = join(this.tmpDir, `ingest-${randomBytes(8).toString('hex')}`);
    try {
      const digester = new Digester();
      const file = await open(temp, 'wx', 0o644);
      try {
        const chunks = source instanceof Uint8Array ? [source] : source;
        for await (const chunk of chunks) {
          digester.update(chunk);
          if (expected.size !== undefined && digester.size > expected.size) {
            throw new ImageError(
              'DigestMismatch',
              `content for ${expected.digest} is longer than the expected ${expected.size} bytes`,
            );
          }
          await file.write(chunk);
        }
        await file.sync();
      } finally {
        await file.close();
      }
      checkDigest(digester, expected);
      await rename(temp, this.path(expected.digest));
    } finally {
      await rm(temp, { force: true });
    }
  }

  /**
   * Moves an existing file (already in tmpDir's filesystem, e.g. staged from an archive) into the
   * store after hashing it, and returns its digest and size. With `expected`, a mismatch throws
   * DigestMismatch; `beforeCommit` sees the digest before the blob becomes visible (to lease it).
   */
  async adopt(
    file: string,
    expected?: ExpectedContent,
    beforeCommit?: (digest: Digest) => void,
  ): Promise<{ digest: Digest; size: number }> {
    const digester = new Digester();
    for await (const chunk of createReadStream(file)) digester.update(chunk as Buffer);
    if (expected !== undefined) checkDigest(digester, expected);
    const digest = expected?.digest ?? digester.digest();
    beforeCommit?.(digest);
    await rename(file, this.path(digest));
    return { digest, size: digester.size };
  }

  async delete(digest: Digest): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    const names = await readdir(this.blobsDir);
    return names.map((hex) => `sha256:${hex}`).filter(isDigest);
  }
}

function checkDigest(digester: Digester, expected: ExpectedContent): void {
  if (expected.size !== undefined && digester.size !== expected.size) {
    throw new ImageError(
      'DigestMismatch',
      `content for ${expected.digest} is ${digester.size} bytes, expected ${expected.size}`,
    );
  }
  const actual = digester.digest();
  if (actual !== expected.digest) {
    throw new ImageError(
      'DigestMismatch',
      `content hashes to ${actual}, expected ${expected.digest}`,
    );
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}
