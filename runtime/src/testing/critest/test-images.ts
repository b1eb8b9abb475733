// The images the suite runs, built by the tests themselves (no registry is reachable): the
// host's static busybox as `skiff.local/busybox:latest`, the same layer with a pause entrypoint
// as `registry.k8s.io/pause:3.6` (containerd's default sandbox image), and a one-file image to
// remove. All are docker-archives (`docker save` format), which both `ctr images import` and
// `skiff image import` read.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage, buildLayer, type BuiltImage } from '../../images/build/image-builder.js';
import { findBusybox } from '../../images/demo/busybox-binary.js';
import { buildDemoImages } from '../../images/demo/demo-images.js';
import { writeTar, type TarWriteEntry } from '../../images/tar/writer.js';

export const BUSYBOX_IMAGE = 'skiff.local/busybox:latest';
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.6';
export const SCRATCH_IMAGE = 'skiff.local/critest-scratch:1';

export interface TestImageArchives {
  /** busybox + pause: what every runtime needs before the first test. */
  readonly base: string;
  /** A small image the image tests remove. */
  readonly scratch: string;
  /** Busybox's layer under a config of its own (so an ID of its own), to push to a registry. */
  readonly registryImage: BuiltImage;
}

/**
 * A `docker save` archive of `images`, each layer stored once however many images share it (as
 * Docker writes them: busybox and pause here share their only layer).
 */
function dockerSave(images: readonly { image: BuiltImage; tag: string }[]): Buffer {
  const entries: TarWriteEntry[] = [];
  const written = new Set<string>();
  const add = (path: string, entry: () => TarWriteEntry[]): void => {
    if (written.has(path)) return;
    written.add(path);
    entries.push(...entry());
  };
  const manifest = images.map(({ image, tag }) => {
    const config = `${image.config.digest.slice('sha256:'.length)}.json`;
    add(config, () => [{ path: config, data: image.config.bytes }]);
    const layers = image.layers.map((layer) => {
      const dir = layer.digest.slice('sha256:'.length);
      add(dir, () => [
        { path: `${dir}/`, type: 'directory' },
        { path: `${dir}/VERSION`, data: '1.0' },
        { path: `${dir}/layer.tar`, data: layer.bytes },
      ]);
      return `${dir}/layer.tar`;
    });
    return { Config: config, RepoTags: [tag], Layers: layers };
  });
  entries.push({ path: 'manifest.json', data: JSON.stringify(manifest) });
  return writeTar(entries);
}

export async function writeTestImages(dir: string): Promise<TestImageArchives> {
  const demo = await buildDemoImages(await findBusybox());
  const base = join(dir, 'critest-base.tar');
  await writeFile(
    base,
    dockerSave([
      { image: demo.busybox, tag: BUSYBOX_IMAGE },
      { image: demo.pause, tag: SANDBOX_IMAGE },
    ]),
  );
  const scratch = join(dir, 'critest-scratch.tar');
  const layer = buildLayer({
    gzip: true,
    entries: [{ path: 'critest.txt', data: 'an image to remove\n' }],
  });
  await writeFile(
    scratch,
    dockerSave([{ image: buildImage([layer], { Cmd: ['/nothing'] }), tag: SCRATCH_IMAGE }]),
  );
  const registryImage = buildImage(demo.busybox.layers, {
    Env: ['PATH=/bin'],
    Cmd: ['sh'],
    Labels: { 'skiff.critest': 'pushed to a registry' },
  });
  return { base, scratch, registryImage };
}
