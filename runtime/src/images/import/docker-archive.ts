// Images from a docker-archive (`docker save` before v25, and `skopeo copy docker-archive:`):
// manifest.json lists each image's config file, tags, and layer tars (plain or gzip). The archive
// has no registry manifest, so one is synthesized in OCI form from the files' own digests; the
// layers' diff IDs are then checked against the config when they are unpacked.
import { readFile } from 'node:fs/promises';
import { sha256Of } from '../digest.js';
import { ImageError } from '../errors.js';
import { MediaType } from '../media-types.js';
import { parseImageConfig, parseJson, parseManifest, type Descriptor } from '../oci-types.js';
import type { PendingImage } from '../pending-image.js';
import { parseReference, repositoryOf, taggedName } from '../reference.js';
import { readHead, sniffCompression } from '../unpack/decompress.js';
import type { ArchiveDeps } from './oci-layout.js';
import type { StagedArchive } from './staged-archive.js';

interface DockerArchiveEntry {
  readonly Config: string;
  readonly RepoTags: readonly string[];
  readonly Layers: readonly string[];
}

export async function importDockerArchive(
  archive: StagedArchive,
  deps: ArchiveDeps,
): Promise<PendingImage[]> {
  const entries = parseEntries(await archive.read('manifest.json', 'manifest.json'));
  const images: PendingImage[] = [];
  const adopted = new Map<string, Descriptor>();

  for (const [i, entry] of entries.entries()) {
    const what = `manifest.json[${i}]`;
    const configFile = archive.require(entry.Config, `config of ${what}`);
    const configBytes = await readFile(configFile);
    const config = parseImageConfig(
      parseJson(configBytes, `config ${entry.Config}`),
      `config ${entry.Config}`,
    );
    if (config.rootfs.diff_ids.length !== entry.Layers.length) {
      throw new ImageError(
        'InvalidArchive',
        `${what} lists ${entry.Layers.length} layers but its config has ${config.rootfs.diff_ids.length} diff IDs`,
      );
    }
    const configDesc = await adoptFile(
      deps,
      archive,
      entry.Config,
      `config of ${what}`,
      MediaType.ociConfig,
      adopted,
    );
    const layers: Descriptor[] = [];
    for (const layer of entry.Layers) {
      layers.push(await adoptFile(deps, archive, layer, `layer ${layer}`, undefined, adopted));
    }
    const manifestBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: configDesc,
        layers,
      }),
    );
    const manifestDigest = sha256Of(manifestBytes);
    deps.lease([manifestDigest]);
    await deps.content.write(manifestBytes, { digest: manifestDigest, size: manifestBytes.length });
    const repoTags = entry.RepoTags.map((t) => {
      const tag = taggedName(parseReference(t));
      if (tag === undefined)
        throw new ImageError(
          'InvalidArchive',
          `${what}: RepoTags entry ${JSON.stringify(t)} has no tag`,
        );
      return tag;
    });
    images.push({
      manifestDigest,
      manifest: parseManifest(parseJson(manifestBytes, 'manifest'), 'synthesized manifest'),
      config,
      extraBlobs: [],
      repoTags,
      repoDigests: repoTags.map((t) => `${repositoryOf(parseReference(t))}@${manifestDigest}`),
    });
  }
  return images;
}

async function adoptFile(
  deps: ArchiveDeps,
  archive: StagedArchive,
  member: string,
  what: string,
  mediaType: string | undefined,
  adopted: Map<string, Descriptor>,
): Promise<Descriptor> {
  const file = archive.require(member, what);
  const seen = adopted.get(file);
  if (seen !== undefined) return seen;
  const head = await readHead(file);
  const { digest, size } = await deps.content.adopt(file, undefined, (d) => deps.lease([d]));
  const descriptor: Descriptor = {
    mediaType:
      mediaType ??
      (sniffCompression(head) === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayer),
    digest,
    size,
  };
  adopted.set(file, descriptor);
  return descriptor;
}

function parseEntries(bytes: Buffer): DockerArchiveEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ImageError('InvalidArchive', 'manifest.json is not valid JSON', { cause: err });
  }
  if (!Array.isArray(value))
    throw new ImageError('InvalidArchive', 'manifest.json must be an array');
  return value.map((raw: unknown, i) => {
    const e = raw as Partial<Record<keyof DockerArchiveEntry, unknown>>;
    const strings = (v: unknown): v is string[] =>
      Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (
      typeof raw !== 'object' ||
      raw === null ||
      typeof e.Config !== 'string' ||
      !strings(e.Layers)
    ) {
      throw new ImageError(
        'InvalidArchive',
        `manifest.json[${i}] needs Config (string) and Layers (strings)`,
      );
    }
    const repoTags = e.RepoTags === undefined || e.RepoTags === null ? [] : e.RepoTags;
    if (!strings(repoTags))
      throw new ImageError('InvalidArchive', `manifest.json[${i}].RepoTags must be strings`);
    return { Config: e.Config, RepoTags: repoTags, Layers: e.Layers };
  });
}
