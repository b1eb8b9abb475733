// The image index: which images exist, their names, and which blobs and unpacked layers each one
// keeps alive. One JSON file, rewritten whole through a temp file + fsync + rename, so after a
// crash it is either the old index or the new one. It is small (one entry per image) and read
// once at start; the in-memory copy is the truth while the process runs.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest, type Digest } from './digest.js';
import { ImageError, messageOf } from './errors.js';
import { isNotFound } from './content-store.js';

export interface LayerRecord {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly size: number;
  readonly diffId: Digest;
}

export interface ImageRecord {
  /** The config digest, as Docker and containerd define an image ID. */
  readonly id: Digest;
  /** The platform manifest that was unpacked. */
  readonly manifestDigest: Digest;
  /** Normalized `domain/path:tag` names pointing at this image. */
  readonly repoTags: readonly string[];
  /** `domain/path@sha256:…`, the digest as the registry or archive named it. */
  readonly repoDigests: readonly string[];
  /** Bytes of content (config + layer blobs, as stored). */
  readonly size: number;
  readonly layers: readonly LayerRecord[];
  /** Every blob this image keeps: index (if any), manifest, config, layers. */
  readonly blobs: readonly Digest[];
  /** Milliseconds since the epoch when the image was first stored. */
  readonly createdAt: number;
}

/** An index file's image list, as far as loading needs to trust it: records keyed by digest. */
function isRecordList(value: unknown): value is readonly ImageRecord[] {
  return (
    Array.isArray(value) &&
    value.every(
      (i: unknown) =>
        typeof i === 'object' && i !== null && isDigest(String((i as { id?: unknown }).id)),
    )
  );
}

interface IndexFile {
  readonly version: 1;
  readonly images: readonly ImageRecord[];
}

export class ImageRecords {
  private readonly file: string;
  private images = new Map<Digest, ImageRecord>();

  constructor(
    imagesDir: string,
    private readonly tmpDir: string,
  ) {
    this.file = join(imagesDir, 'images.json');
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    let parsed: IndexFile;
    try {
      parsed = JSON.parse(text) as IndexFile;
    } catch (err) {
      throw new ImageError('HostError', `image index ${this.file} is corrupt: ${messageOf(err)}`, {
        cause: err,
      });
    }
    const images: unknown = parsed.images;
    if (parsed.version !== 1 || !isRecordList(images)) {
      throw new ImageError('HostError', `image index ${this.file} has an unknown format`);
    }
    this.images = new Map(images.map((i) => [i.id, i]));
  }

  all(): ImageRecord[] {
    return [...this.images.values()];
  }

  get(id: Digest): ImageRecord | undefined {
    return this.images.get(id);
  }

  /**
   * Stores `record` (merging names into an existing image with the same ID) and takes each of
   * its tags away from whichever image had it before: a tag names one image at a time.
   */
  put(record: ImageRecord): ImageRecord {
    const existing = this.images.get(record.id);
    const merged: ImageRecord =
      existing === undefined
        ? record
        : {
            ...record,
            createdAt: existing.createdAt,
            repoTags: union(existing.repoTags, record.repoTags),
            repoDigests: union(existing.repoDigests, record.repoDigests),
            blobs: union(existing.blobs, record.blobs),
          };
    for (const other of this.images.values()) {
      if (other.id === record.id) continue;
      const kept = other.repoTags.filter((t) => !record.repoTags.includes(t));
      if (kept.length !== other.repoTags.length)
        this.images.set(other.id, { ...other, repoTags: kept });
    }
    this.images.set(record.id, merged);
    return merged;
  }

  delete(id: Digest): void {
    this.images.delete(id);
  }

  async save(): Promise<void> {
    const body: IndexFile = { version: 1, images: this.all() };
    const temp = join(this.tmpDir, `images-${randomBytes(6).toString('hex')}.json`);
    try {
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.writeFile(JSON.stringify(body, null, 1));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.file);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}
