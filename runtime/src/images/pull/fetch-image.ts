// Pull = resolve the reference to a manifest (through an index/manifest list when the image is
// multi-platform), then download config and layers into the content store. Every byte is checked
// against the digest that named it: the manifest against the digest in the reference (or the one
// the registry claims in Docker-Content-Digest), blobs by the content store as they stream in.
import { sha256Of, type Digest } from '../digest.js';
import { ImageError } from '../errors.js';
import type { ContentStore } from '../content-store.js';
import { MANIFEST_ACCEPT } from '../media-types.js';
import {
  documentKind,
  parseImageConfig,
  parseIndex,
  parseJson,
  parseManifest,
  type Descriptor,
  type Platform,
} from '../oci-types.js';
import type { PendingImage } from '../pending-image.js';
import { selectManifest } from '../platform.js';
import { formatReference, repositoryOf, taggedName, type ImageReference } from '../reference.js';
import type { RegistryClient } from './registry-client.js';

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const PARALLEL_BLOBS = 3;

export interface FetchDeps {
  readonly client: RegistryClient;
  readonly content: ContentStore;
  readonly platform: Platform;
  /** Protects digests from garbage collection before they are written (released by the caller). */
  readonly lease: (digests: readonly Digest[]) => void;
}

export async function fetchImage(ref: ImageReference, deps: FetchDeps): Promise<PendingImage> {
  const name = formatReference(ref);
  const top = await fetchManifest(deps, ref.digest ?? ref.tag ?? 'latest', ref.digest, name);
  const extraBlobs: Digest[] = [];
  let manifestDoc = top;
  if (documentKind(top.doc, top.mediaType) === 'index') {
    const index = parseIndex(top.doc, `index of ${name}`);
    const chosen = selectManifest(index, deps.platform, name);
    extraBlobs.push(top.digest);
    manifestDoc = await fetchManifest(deps, chosen.digest, chosen.digest, name);
    if (documentKind(manifestDoc.doc, manifestDoc.mediaType) !== 'manifest') {
      throw new ImageError('Unsupported', `${name}: nested image indexes are not supported`);
    }
  }
  const manifest = parseManifest(manifestDoc.doc, `manifest of ${name}`);
  deps.lease([manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);

  await fetchBlob(deps, manifest.config);
  const config = parseImageConfig(
    parseJson(await deps.content.read(manifest.config.digest), 'config'),
    `config of ${name}`,
  );
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw new ImageError(
      'InvalidArchive',
      `${name}: manifest has ${manifest.layers.length} layers but the config lists ${config.rootfs.diff_ids.length} diff IDs`,
    );
  }
  deps.lease(config.rootfs.diff_ids);
  await inParallel(manifest.layers, PARALLEL_BLOBS, (layer) => fetchBlob(deps, layer));

  const tag = taggedName(ref);
  return {
    manifestDigest: manifestDoc.digest,
    manifest,
    config,
    extraBlobs,
    repoTags: tag === undefined ? [] : [tag],
    repoDigests: [`${repositoryOf(ref)}@${top.digest}`],
  };
}

interface FetchedManifest {
  readonly digest: Digest;
  readonly mediaType: string | undefined;
  readonly doc: Record<string, unknown>;
}

async function fetchManifest(
  deps: FetchDeps,
  reference: string,
  expected: Digest | undefined,
  name: string,
): Promise<FetchedManifest> {
  const response = await deps.client.get('manifests', reference, MANIFEST_ACCEPT);
  const bytes = await readLimited(response, MAX_MANIFEST_BYTES, `manifest of ${name}`);
  const digest = sha256Of(bytes);
  const claimed = expected ?? response.headers.get('docker-content-digest') ?? undefined;
  if (claimed !== undefined && claimed.startsWith('sha256:') && claimed !== digest) {
    throw new ImageError(
      'DigestMismatch',
      `manifest of ${name} hashes to ${digest}, expected ${claimed}`,
    );
  }
  deps.lease([digest]);
  await deps.content.write(bytes, { digest, size: bytes.length });
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
  return { digest, mediaType, doc: parseJson(bytes, `manifest of ${name}`) };
}

async function fetchBlob(deps: FetchDeps, blob: Descriptor): Promise<void> {
  if ((await deps.content.sizeOf(blob.digest)) === blob.size) return;
  const response = await deps.client.get('blobs', blob.digest);
  if (response.body === null)
    throw new ImageError('RegistryError', `blob ${blob.digest} came with no body`);
  await deps.content.write(response.body, { digest: blob.digest, size: blob.size });
}

async function readLimited(response: Response, limit: number, what: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body === null) return Buffer.alloc(0);
  // A fetch body yields Uint8Array chunks (the DOM stream type says any).
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > limit) {
      // Leaving the loop cancels the body.
      throw new ImageError('RegistryError', `${what} is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Runs `fn` over `items`, `limit` at a time. After a failure no new item starts, and the first
 * error is thrown only once the running ones have settled, so nothing still writes afterwards.
 */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}
