// Layer blobs are usually gzip, sometimes plain tar, lately zstd. The media type says which, but
// docker-archive layers have no media type, so the first bytes decide when it is unknown.
import { open } from 'node:fs/promises';
import { type Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { ImageError } from '../errors.js';
import type { LayerCompression } from '../media-types.js';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function sniffCompression(head: Uint8Array): LayerCompression {
  const starts = (magic: number[]): boolean => magic.every((b, i) => head[i] === b);
  if (starts(GZIP_MAGIC)) return 'gzip';
  if (starts(ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

/** `source` decompressed; errors of either stream surface on the returned one. */
export function decompress(source: Readable, compression: LayerCompression): Readable {
  if (compression === 'none') return source;
  const decoder = compression === 'gzip' ? zlib.createGunzip() : zstdDecoder();
  return pipeline(source, decoder, (err) => {
    // pipeline already destroyed both streams with `err`; the consumer sees it when reading.
    if (err !== undefined && err !== null && !decoder.destroyed) decoder.destroy(err);
  });
}

function zstdDecoder(): NodeJS.ReadWriteStream & Readable {
  // Node 22.15+ ships zstd; on older Node the layer cannot be read at all.
  const factory = (zlib as unknown as Record<string, unknown>).createZstdDecompress;
  if (typeof factory !== 'function') {
    throw new ImageError(
      'Unsupported',
      `zstd-compressed layers need Node.js 22.15 or newer (this is ${process.version})`,
    );
  }
  return (factory as () => NodeJS.ReadWriteStream & Readable)();
}

/** The first bytes of a file, to tell gzip from zstd from plain tar. */
export async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
