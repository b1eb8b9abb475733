// Builds OCI images in memory from tar entries: layer blobs, config and manifest, each with its
// digest. The demo images are made this way from host files, and tests make the images they
// import and push the same way, so every path into the store starts from real image bytes.
import { gzipSync } from 'node:zlib';
import { sha256Of, type Digest } from '../digest.js';
import { MediaType } from '../media-types.js';
import type { Descriptor, ImageRuntimeConfig, Platform } from '../oci-types.js';
import { hostPlatform } from '../platform.js';
import { writeTar, type TarWriteEntry } from '../tar/writer.js';

export interface LayerSpec {
  readonly entries: readonly TarWriteEntry[];
  /** Compress with gzip (the registry norm); plain tar otherwise. */
  readonly gzip?: boolean;
}

export interface BuiltBlob {
  readonly digest: Digest;
  readonly bytes: Buffer;
  readonly mediaType: string;
}

export interface BuiltLayer extends BuiltBlob {
  readonly diffId: Digest;
}

export interface BuiltImage {
  readonly layers: readonly BuiltLayer[];
  readonly config: BuiltBlob;
  readonly manifest: BuiltBlob;
  readonly platform: Platform;
}

export function blobOf(bytes: Buffer, mediaType: string): BuiltBlob {
  return { digest: sha256Of(bytes), bytes, mediaType };
}

export function descriptorOf(blob: BuiltBlob, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.bytes.length, ...extra };
}

export function buildLayer(spec: LayerSpec): BuiltLayer {
  const tar = writeTar(spec.entries);
  const bytes = spec.gzip === true ? gzipSync(tar) : tar;
  return {
    ...blobOf(bytes, spec.gzip === true ? MediaType.ociLayerGzip : MediaType.ociLayer),
    diffId: sha256Of(tar),
  };
}

export function buildImage(
  layers: readonly (LayerSpec | BuiltLayer)[],
  config: ImageRuntimeConfig = {},
  platform: Platform = hostPlatform(),
): BuiltImage {
  const built = layers.map((l) => ('diffId' in l ? l : buildLayer(l)));
  const configBlob = blobOf(
    Buffer.from(
      JSON.stringify({
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant !== undefined && { variant: platform.variant }),
        created: '1970-01-01T00:00:00Z',
        config,
        rootfs: { type: 'layers', diff_ids: built.map((l) => l.diffId) },
        history: built.map(() => ({
          created: '1970-01-01T00:00:00Z',
          created_by: 'skiff image builder',
        })),
      }),
    ),
    MediaType.ociConfig,
  );
  const manifest = blobOf(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: descriptorOf(configBlob),
        layers: built.map((l) => descriptorOf(l)),
      }),
    ),
    MediaType.ociManifest,
  );
  return { layers: built, config: configBlob, manifest, platform };
}

/** An OCI index over several platform manifests (a multi-arch image). */
export function buildIndex(images: readonly BuiltImage[]): BuiltBlob {
  return blobOf(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: images.map((img) => descriptorOf(img.manifest, { platform: img.platform })),
      }),
    ),
    MediaType.ociIndex,
  );
}

export interface LayoutImage {
  readonly image: BuiltImage;
  /** Full reference, written as containerd does (io.containerd.image.name + ref.name tag). */
  readonly name?: string;
}

/** An OCI image-layout tarball (`oci-layout`, `index.json`, `blobs/sha256/…`) holding `images`. */
export function ociLayoutArchive(images: readonly LayoutImage[]): Buffer {
  const blobs = new Map<Digest, Buffer>();
  for (const { image } of images) {
    for (const blob of [image.manifest, image.config, ...image.layers])
      blobs.set(blob.digest, blob.bytes);
  }
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: images.map(({ image, name }) =>
      descriptorOf(image.manifest, {
        platform: image.platform,
        ...(name !== undefined && {
          annotations: {
            'io.containerd.image.name': name,
            'org.opencontainers.image.ref.name': name.slice(name.lastIndexOf(':') + 1),
          },
        }),
      }),
    ),
  };
  const entries: TarWriteEntry[] = [
    { path: 'oci-layout', data: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
    { path: 'index.json', data: JSON.stringify(index) },
    { path: 'blobs/', type: 'directory' },
    { path: 'blobs/sha256/', type: 'directory' },
    ...[...blobs].map(([digest, bytes]) => ({
      path: `blobs/sha256/${digest.slice(7)}`,
      data: bytes,
    })),
  ];
  return writeTar(entries);
}
