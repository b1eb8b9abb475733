// Builds `docker save` style archives (manifest.json + <id>/layer.tar + <config>.json) from built
// images, the way Docker before v25 wrote them, for import tests.
import type { BuiltImage } from '../build/image-builder.js';
import { writeTar, type TarWriteEntry } from '../tar/writer.js';

export interface DockerArchiveImage {
  readonly image: BuiltImage;
  readonly repoTags: readonly string[];
  /** Replaces the config bytes (to make archives whose config disagrees with the layers). */
  readonly configOverride?: Buffer;
}

export function dockerArchive(images: readonly DockerArchiveImage[]): Buffer {
  const entries: TarWriteEntry[] = [];
  const manifest = images.map(({ image, repoTags, configOverride }) => {
    const configName = `${image.config.digest.slice(7)}.json`;
    entries.push({ path: configName, data: configOverride ?? image.config.bytes });
    const layers = image.layers.map((layer) => {
      const dir = layer.digest.slice(7);
      entries.push({ path: `${dir}/`, type: 'directory' });
      entries.push({ path: `${dir}/VERSION`, data: '1.0' });
      entries.push({ path: `${dir}/layer.tar`, data: layer.bytes });
      return `${dir}/layer.tar`;
    });
    return { Config: configName, RepoTags: repoTags, Layers: layers };
  });
  entries.push({ path: 'manifest.json', data: JSON.stringify(manifest) });
  return writeTar(entries);
}
