// Images from an OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as written by
// `docker save` (v25+), buildah, skopeo and `ctr export`. Each entry of index.json is an image
// (or a multi-platform index, resolved to this node's platform). Its name comes from the
// annotations: containerd's `io.containerd.image.name` holds the full reference; the OCI
// `org.opencontainers.image.ref.name` may hold either a full reference or only a tag.
import { digestHex, type Digest } from '../digest.js';
import { ImageError, isImageError } from '../errors.js';
import type { ContentStore } from '../content-store.js';
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
import { formatReference, parseReference, repositoryOf, taggedName } from '../reference.js';
import type { StagedArchive } from './staged-archive.js';

const CONTAINERD_NAME = 'io.containerd.image.name';
const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

export interface ArchiveDeps {
  readonly content: ContentStore;
  readonly platform: Platform;
  readonly lease: (digests: readonly Digest[]) => void;
}

export async function importOciLayout(
  archive: StagedArchive,
  deps: ArchiveDeps,
  baseName: string | undefined,
): Promise<PendingImage[]> {
  const layout = parseJson(await archive.read('oci-layout', 'oci-layout file'), 'oci-layout');
  if (layout.imageLayoutVersion !== '1.0.0') {
    throw new ImageError(
      'Unsupported',
      `OCI layout version ${JSON.stringify(layout.imageLayoutVersion)} is not supported`,
    );
  }
  const index = parseIndex(
    parseJson(await archive.read('index.json', 'index.json'), 'index.json'),
    'index.json',
  );
  const adopted = new Set<Digest>();
  const blob = async (d: Descriptor, what: string): Promise<Buffer> => {
    await adopt(archive, deps, d, what, adopted);
    return deps.content.read(d.digest);
  };

  const images: PendingImage[] = [];
  for (const [i, entry] of index.manifests.entries()) {
    const what = `index.json manifests[${i}]`;
    const name = imageName(entry, baseName);
    const topDoc = parseJson(await blob(entry, what), what);
    let manifestDesc = entry;
    let manifestDoc = topDoc;
    const extraBlobs: Digest[] = [];
    if (documentKind(topDoc, entry.mediaType) === 'index') {
      manifestDesc = selectManifest(parseIndex(topDoc, what), deps.platform, name ?? what);
      extraBlobs.push(entry.digest);
      manifestDoc = parseJson(await blob(manifestDesc, `${what} (platform manifest)`), what);
    }
    const manifest = parseManifest(manifestDoc, `manifest ${manifestDesc.digest}`);
    const config = parseImageConfig(
      parseJson(
        await blob(manifest.config, `config of ${what}`),
        `config ${manifest.config.digest}`,
      ),
      `config ${manifest.config.digest}`,
    );
    for (const layer of manifest.layers)
      await adopt(archive, deps, layer, `layer of ${what}`, adopted);
    const ref = name === undefined ? undefined : parseReference(name);
    const tag = ref === undefined ? undefined : taggedName(ref);
    images.push({
      manifestDigest: manifestDesc.digest,
      manifest,
      config,
      extraBlobs,
      repoTags: tag === undefined ? [] : [tag],
      repoDigests: ref === undefined ? [] : [`${repositoryOf(ref)}@${entry.digest}`],
    });
  }
  return images;
}

/** Moves blob `d` from the archive into the content store, checking its digest and size. */
async function adopt(
  archive: StagedArchive,
  deps: ArchiveDeps,
  d: Descriptor,
  what: string,
  adopted: Set<Digest>,
): Promise<void> {
  if (adopted.has(d.digest)) return;
  deps.lease([d.digest]);
  const member = `blobs/sha256/${digestHex(d.digest)}`;
  const file = archive.file(member);
  if (file === undefined) {
    // Layouts may omit blobs the importer already has (e.g. base layers): use the stored copy.
    if ((await deps.content.sizeOf(d.digest)) === d.size) {
      adopted.add(d.digest);
      return;
    }
    throw new ImageError('InvalidArchive', `archive has no blob for ${what} (${member})`);
  }
  try {
    await deps.content.adopt(file, { digest: d.digest, size: d.size });
  } catch (err) {
    if (isImageError(err, 'DigestMismatch')) {
      throw new ImageError('DigestMismatch', `${what}: blob ${member} is corrupt: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
  adopted.add(d.digest);
}

function imageName(entry: Descriptor, baseName: string | undefined): string | undefined {
  const full = entry.annotations?.[CONTAINERD_NAME];
  if (full !== undefined && full !== '') return formatReference(parseReference(full));
  const refName = entry.annotations?.[OCI_REF_NAME];
  if (refName === undefined || refName === '') return undefined;
  // A bare tag ("latest", "v1.2") needs a repository name to hang it on.
  if (!refName.includes('/') && !refName.includes(':') && !refName.includes('@')) {
    return baseName === undefined
      ? undefined
      : formatReference(parseReference(`${baseName}:${refName}`));
  }
  return formatReference(parseReference(refName));
}
