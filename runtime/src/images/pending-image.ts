// An image whose blobs are in the content store but which is not yet in the index: what import
// and pull both produce, and what ImageStore commits (unpacks layers, records names).
import type { Digest } from './digest.js';
import type { ImageConfig, ImageManifest } from './oci-types.js';

export interface PendingImage {
  readonly manifestDigest: Digest;
  readonly manifest: ImageManifest;
  readonly config: ImageConfig;
  /** Blobs beyond manifest, config and layers that the image keeps (the index it came from). */
  readonly extraBlobs: readonly Digest[];
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
}
