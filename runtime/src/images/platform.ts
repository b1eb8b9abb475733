// Which manifest of a multi-platform index this node runs. Kubernetes nodes here are linux;
// the architecture follows the host so an arm64 node picks arm64 images.
import { goArch } from '@skiff/api';
import { ImageError } from './errors.js';
import type { Descriptor, ImageIndex, Platform } from './oci-types.js';
import { MANIFEST_MEDIA_TYPES } from './media-types.js';

/** The platform of this host in OCI terms (linux/amd64 on the usual node). */
export function hostPlatform(): Platform {
  return { os: 'linux', architecture: goArch() };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((s) => s !== undefined && s !== '').join('/');
}

/**
 * The manifest for `want` in `index`. Entries without a platform are skipped (attestations and
 * other artifacts live there); a variant is only compared when `want` names one.
 */
export function selectManifest(index: ImageIndex, want: Platform, what: string): Descriptor {
  const candidates = index.manifests.filter(
    (d) => MANIFEST_MEDIA_TYPES.includes(d.mediaType) || d.mediaType === '',
  );
  const match = candidates.find(
    (d) =>
      d.platform !== undefined &&
      d.platform.os === want.os &&
      d.platform.architecture === want.architecture &&
      (want.variant === undefined || d.platform.variant === want.variant),
  );
  if (match !== undefined) return match;
  // An index with a single platform-less manifest (as some OCI layouts are) means "this one".
  const [only, ...others] = candidates;
  if (only !== undefined && others.length === 0 && only.platform === undefined) return only;
  const offered = candidates
    .map((d) => (d.platform === undefined ? '(no platform)' : formatPlatform(d.platform)))
    .join(', ');
  throw new ImageError(
    'NotFound',
    `${what} has no manifest for ${formatPlatform(want)} (it offers: ${offered || 'nothing'})`,
  );
}
