// Unpacked layers, one directory per diff ID under `layers/<hex>/`. A directory holds only its
// own changeset (overlayfs stacks them), so its content depends on the diff ID alone and two
// images sharing a layer share the directory. A layer is unpacked in a temp dir, checked against
// its diff ID (the digest of the uncompressed tar) and renamed into place, so a directory under
// its final name is always complete and correct; the same diff ID is unpacked once even when
// two pulls race for it.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { Digester, digestHex, isDigest, type Digest } from '../digest.js';
import { ImageError, messageOf } from '../errors.js';
import type { LayerCompression } from '../media-types.js';
import { isNotFound } from '../content-store.js';
import { applyLayer } from './apply-layer.js';
import { decompress, readHead, sniffCompression } from './decompress.js';

export interface LayerSource {
  /** The (possibly compressed) layer blob. */
  readonly path: string;
  /** From the media type; undefined means sniff the first bytes. */
  readonly compression: LayerCompression | undefined;
  /** Names the blob in errors. */
  readonly description: string;
}

export class LayerStore {
  private readonly inFlight = new Map<Digest, Promise<string>>();

  constructor(
    readonly layersDir: string,
    private readonly tmpDir: string,
  ) {}

  async init(): Promise<void> {
    await mkdir(this.layersDir, { recursive: true });
  }

  path(diffId: Digest): string {
    return join(this.layersDir, digestHex(diffId));
  }

  async has(diffId: Digest): Promise<boolean> {
    try {
      return (await stat(this.path(diffId))).isDirectory();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** The layer's directory, unpacking `source` first if it is not there yet. */
  ensure(diffId: Digest, source: LayerSource): Promise<string> {
    const running = this.inFlight.get(diffId);
    if (running !== undefined) return running;
    const work = this.unpackOnce(diffId, source).finally(() => this.inFlight.delete(diffId));
    this.inFlight.set(diffId, work);
    return work;
  }

  async delete(diffId: Digest): Promise<void> {
    // Rename first so a half-deleted layer never sits under a name that looks complete.
    const doomed = join(
      this.tmpDir,
      `delete-${digestHex(diffId)}-${randomBytes(4).toString('hex')}`,
    );
    try {
      await rename(this.path(diffId), doomed);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  async list(): Promise<Digest[]> {
    const names = await readdir(this.layersDir);
    return names.map((hex) => `sha256:${hex}`).filter(isDigest);
  }

  private async unpackOnce(diffId: Digest, source: LayerSource): Promise<string> {
    const final = this.path(diffId);
    if (await this.has(diffId)) return final;
    const temp = join(
      this.tmpDir,
      `unpack-${digestHex(diffId).slice(0, 12)}-${randomBytes(4).toString('hex')}`,
    );
    await mkdir(temp, { mode: 0o755 });
    try {
      const actual = await unpackVerified(temp, source);
      if (actual !== diffId) {
        throw new ImageError(
          'DigestMismatch',
          `${source.description} unpacks to diff ID ${actual}, but the image config says ${diffId}`,
        );
      }
      await rename(temp, final);
      return final;
    } catch (err) {
      await rm(temp, { recursive: true, force: true });
      throw err;
    }
  }
}

/** Unpacks into `dir` and returns the digest of the uncompressed stream (the diff ID). */
async function unpackVerified(dir: string, source: LayerSource): Promise<Digest> {
  const compression = source.compression ?? sniffCompression(await readHead(source.path));
  const blob = createReadStream(source.path);
  try {
    const digester = new Digester();
    const hashed = (async function* () {
      for await (const chunk of decompress(blob, compression)) {
        digester.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    })();
    await applyLayer(dir, hashed);
    // The diff ID covers the whole uncompressed stream, including padding after the tar's end.
    for await (const _ of hashed) {
      // Drained for the digest.
    }
    return digester.digest();
  } catch (err) {
    if (err instanceof ImageError)
      throw new ImageError(err.code, `${source.description}: ${err.message}`, { cause: err });
    throw new ImageError(
      'InvalidArchive',
      `${source.description} cannot be unpacked: ${messageOf(err)}`,
      {
        cause: err,
      },
    );
  } finally {
    blob.destroy();
  }
}
