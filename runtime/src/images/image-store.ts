// The image half of the runtime: what CRI's ImageService (ListImages, ImageStatus, PullImage,
// RemoveImage, ImageFsInfo) does, as a plain TypeScript API, plus what the container side needs
// (layersFor, configFor) and `skiff image import`.
//
// On disk, under `<root>/images/`:
//   blobs/sha256/<hex>   manifests, configs and layer blobs (content store, digest-verified)
//   layers/<hex>/        each layer unpacked once, by diff ID (overlayfs lowerdirs)
//   images.json          the image index (names → image, and what each image keeps alive)
//   tmp/                 downloads, staging and unpacking in progress; emptied at start
//
// Concurrency: downloads, staging and unpacking run in parallel; changes to the index and
// garbage collection run one at a time (`exclusive`). A pull or import leases the digests it
// is working on so that a concurrent removal's garbage collection leaves them alone.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realClock, type Clock } from '@skiff/api';
import { ContentStore, isNotFound } from './content-store.js';
import { isDigest, type Digest } from './digest.js';
import { buildDemoImages, DEMO_IMAGE, demoArchive, PAUSE_IMAGE } from './demo/demo-images.js';
import { findBusybox } from './demo/busybox-binary.js';
import { ImageError } from './errors.js';
import { fsUsage } from './fs-usage.js';
import { importDockerArchive } from './import/docker-archive.js';
import { importOciLayout } from './import/oci-layout.js';
import { StagedArchive } from './import/staged-archive.js';
import { imageInfo, type ImageInfo } from './image-info.js';
import { ImageRecords, type ImageRecord } from './image-records.js';
import { layerCompression } from './media-types.js';
import {
  parseImageConfig,
  parseJson,
  type ImageConfig,
  type ImageRuntimeConfig,
  type Platform,
} from './oci-types.js';
import type { PendingImage } from './pending-image.js';
import { hostPlatform } from './platform.js';
import { fetchImage } from './pull/fetch-image.js';
import type { RegistryAuth } from './pull/registry-client.js';
import { RegistryClient } from './pull/registry-client.js';
import { registryEndpoint } from './pull/registry-endpoint.js';
import { parseReference, repositoryOf } from './reference.js';
import { readHead } from './unpack/decompress.js';
import { LayerStore } from './unpack/layer-store.js';

export interface ImageStoreOptions {
  /** The runtime's state directory; images live in `<root>/images`. */
  readonly root: string;
  /** `host[:port]` registries reached over plain HTTP (loopback ones always are). */
  readonly insecureRegistries?: readonly string[];
  /** Which manifest of a multi-platform image to use; the host's (linux/amd64 …) by default. */
  readonly platform?: Platform;
  /** Time source for record timestamps and fsInfo (a Clock from @skiff/api fits). */
  readonly clock?: Clock;
  /** Where to look for the static busybox the demo images are built from. */
  readonly busyboxPaths?: readonly string[];
}

export interface PullOptions {
  readonly auth?: RegistryAuth;
  readonly signal?: AbortSignal;
}

export interface ImportOptions {
  /** Repository for OCI layout entries named only by a tag (`ref.name: latest`). */
  readonly baseName?: string;
}

export interface ImageFsInfo {
  /** Milliseconds since the epoch when the usage was measured. */
  readonly timestampMs: number;
  /** The directory holding all image data. */
  readonly mountpoint: string;
  readonly usedBytes: number;
  readonly inodesUsed: number;
}

const SHORT_ID_RE = /^[a-f0-9]{4,63}$/;
const FULL_ID_RE = /^[a-f0-9]{64}$/;

export class ImageStore {
  readonly imagesDir: string;
  private readonly tmpDir: string;
  private readonly content: ContentStore;
  private readonly layers: LayerStore;
  private readonly records: ImageRecords;
  private readonly platform: Platform;
  private readonly clock: Clock;
  private readonly configs = new Map<Digest, ImageConfig>();
  private readonly leases = new Map<Digest, number>();
  private serial: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: ImageStoreOptions) {
    this.imagesDir = join(options.root, 'images');
    this.tmpDir = join(this.imagesDir, 'tmp');
    this.content = new ContentStore(this.imagesDir, this.tmpDir);
    this.layers = new LayerStore(join(this.imagesDir, 'layers'), this.tmpDir);
    this.records = new ImageRecords(this.imagesDir, this.tmpDir);
    this.platform = options.platform ?? hostPlatform();
    this.clock = options.clock ?? realClock;
  }

  /** Opens (creating if needed) the store under `options.root` and tidies up after a crash. */
  static async open(options: ImageStoreOptions): Promise<ImageStore> {
    const store = new ImageStore(options);
    // Whatever is in tmp/ belonged to operations that died with the last process.
    await rm(store.tmpDir, { recursive: true, force: true });
    await store.content.init();
    await store.layers.init();
    await store.records.load();
    await store.exclusive(() => store.collectGarbage());
    return store;
  }

  /** All images, or (CRI ListImages with a filter) the one `filter` names. */
  async list(filter?: string): Promise<ImageInfo[]> {
    if (filter !== undefined && filter !== '') {
      const one = await this.status(filter);
      return one === undefined ? [] : [one];
    }
    return Promise.all(this.records.all().map((r) => this.info(r)));
  }

  /** The image `image` (ID, short ID, reference or digest reference) names, if present. */
  async status(image: string): Promise<ImageInfo | undefined> {
    const record = this.find(image);
    return record === undefined ? undefined : this.info(record);
  }

  async pull(image: string, options: PullOptions = {}): Promise<ImageInfo> {
    const ref = parseReference(image);
    const client = new RegistryClient(
      registryEndpoint(ref.domain, this.options.insecureRegistries),
      ref.path,
      options.auth,
      options.signal,
    );
    const [info] = await this.ingest(async (lease) => [
      await fetchImage(ref, { client, content: this.content, platform: this.platform, lease }),
    ]);
    if (info === undefined)
      throw new ImageError('RegistryError', `pull of ${image} produced no image`);
    return info;
  }

  /** Imports every image in an OCI image layout or docker-archive tarball (optionally gzipped). */
  async import(archivePath: string, options: ImportOptions = {}): Promise<ImageInfo[]> {
    const head = await readHead(archivePath).catch((err: unknown) => {
      if (isNotFound(err))
        throw new ImageError('NotFound', `archive ${archivePath} does not exist`);
      throw err;
    });
    const stagingDir = join(this.tmpDir, `import-${randomBytes(6).toString('hex')}`);
    try {
      return await this.ingest(async (lease) => {
        const archive = await StagedArchive.stage(createReadStream(archivePath), head, stagingDir);
        const deps = { content: this.content, platform: this.platform, lease };
        if (archive.has('oci-layout') && archive.has('index.json')) {
          return importOciLayout(archive, deps, options.baseName);
        }
        if (archive.has('manifest.json')) return importDockerArchive(archive, deps);
        throw new ImageError(
          'InvalidArchive',
          `${archivePath} is neither an OCI image layout (oci-layout + index.json) nor a docker-archive (manifest.json)`,
        );
      });
    } finally {
      await rm(stagingDir, { recursive: true, force: true });
    }
  }

  /**
   * Removes the image `image` names, then every blob and unpacked layer no image uses any more.
   * Returns false when there was no such image (CRI RemoveImage treats that as success).
   */
  async remove(image: string): Promise<boolean> {
    return this.exclusive(async () => {
      const record = this.find(image);
      if (record === undefined) return false;
      this.records.delete(record.id);
      await this.records.save();
      this.configs.delete(record.id);
      await this.collectGarbage();
      return true;
    });
  }

  async fsInfo(): Promise<ImageFsInfo> {
    const timestampMs = this.clock.now();
    const usage = await fsUsage(this.imagesDir);
    return { timestampMs, mountpoint: this.imagesDir, ...usage };
  }

  /** The unpacked layer directories of the image, lowest first (overlayfs lists them reversed). */
  async layersFor(image: string): Promise<string[]> {
    const record = this.require(image);
    const dirs: string[] = [];
    // Unpacked at commit; ensure() only unpacks again if a directory was removed by hand.
    for (const layer of record.layers)
      dirs.push(await this.layers.ensure(layer.diffId, this.layerSource(layer)));
    return dirs;
  }

  /** The image config's runtime part: Entrypoint, Cmd, Env, WorkingDir, User, ExposedPorts, … */
  async configFor(image: string): Promise<ImageRuntimeConfig> {
    return (await this.configOf(this.require(image))).config ?? {};
  }

  /**
   * Makes sure the demo images (DEMO_IMAGE, PAUSE_IMAGE) exist, building them from the host's
   * static busybox and importing them through the normal import path the first time.
   */
  async ensureDemoImages(): Promise<{ busybox: ImageInfo; pause: ImageInfo }> {
    let busybox = await this.status(DEMO_IMAGE);
    let pause = await this.status(PAUSE_IMAGE);
    if (busybox === undefined || pause === undefined) {
      const archive = demoArchive(
        await buildDemoImages(await findBusybox(this.options.busyboxPaths)),
      );
      await mkdir(this.tmpDir, { recursive: true });
      const file = join(this.tmpDir, `demo-${randomBytes(6).toString('hex')}.tar`);
      try {
        await writeFile(file, archive);
        await this.import(file);
      } finally {
        await rm(file, { force: true });
      }
      busybox = await this.status(DEMO_IMAGE);
      pause = await this.status(PAUSE_IMAGE);
    }
    if (busybox === undefined || pause === undefined) {
      throw new ImageError(
        'HostError',
        'the demo images were imported but cannot be found by name',
      );
    }
    return { busybox, pause };
  }

  /**
   * Runs `work` (which writes blobs under a lease), then unpacks and records what it produced.
   * On failure the lease is dropped and garbage is collected, so nothing half-done remains.
   */
  private async ingest(
    work: (lease: (digests: readonly Digest[]) => void) => Promise<PendingImage[]>,
  ): Promise<ImageInfo[]> {
    const held: Digest[] = [];
    const lease = (digests: readonly Digest[]): void => {
      for (const d of digests) {
        this.leases.set(d, (this.leases.get(d) ?? 0) + 1);
        held.push(d);
      }
    };
    const release = (): void => {
      for (const d of held.splice(0)) {
        const n = (this.leases.get(d) ?? 1) - 1;
        if (n > 0) this.leases.set(d, n);
        else this.leases.delete(d);
      }
    };
    try {
      const pending = await work(lease);
      const records = await this.commit(pending);
      release();
      return await Promise.all(records.map((r) => this.info(r)));
    } catch (err) {
      release();
      await this.exclusive(() => this.collectGarbage());
      throw err;
    }
  }

  private async commit(pending: readonly PendingImage[]): Promise<ImageRecord[]> {
    const now = this.clock.now();
    const records = pending.map((p): ImageRecord => {
      const diffIds = p.config.rootfs.diff_ids;
      if (diffIds.length !== p.manifest.layers.length) {
        throw new ImageError(
          'InvalidArchive',
          `manifest ${p.manifestDigest} has ${p.manifest.layers.length} layers but its config lists ${diffIds.length} diff IDs`,
        );
      }
      const layers = p.manifest.layers.map((l, i) => ({
        digest: l.digest,
        mediaType: l.mediaType,
        size: l.size,
        diffId: diffIds[i] as Digest,
      }));
      return {
        id: p.manifest.config.digest,
        manifestDigest: p.manifestDigest,
        repoTags: p.repoTags,
        repoDigests: p.repoDigests,
        size: p.manifest.config.size + layers.reduce((sum, l) => sum + l.size, 0),
        layers,
        blobs: [
          ...new Set([
            ...p.extraBlobs,
            p.manifestDigest,
            p.manifest.config.digest,
            ...layers.map((l) => l.digest),
          ]),
        ],
        createdAt: now,
      };
    });
    for (const record of records) {
      for (const layer of record.layers)
        await this.layers.ensure(layer.diffId, this.layerSource(layer));
    }
    return this.exclusive(async () => {
      const stored = records.map((r) => this.records.put(r));
      await this.records.save();
      return stored;
    });
  }

  /** Deletes blobs and layer dirs that no image and no running pull/import uses. */
  private async collectGarbage(): Promise<void> {
    const images = this.records.all();
    const keepBlobs = new Set<Digest>([...images.flatMap((i) => i.blobs), ...this.leases.keys()]);
    const keepLayers = new Set<Digest>([
      ...images.flatMap((i) => i.layers.map((l) => l.diffId)),
      ...this.leases.keys(),
    ]);
    for (const blob of await this.content.list())
      if (!keepBlobs.has(blob)) await this.content.delete(blob);
    for (const layer of await this.layers.list())
      if (!keepLayers.has(layer)) await this.layers.delete(layer);
  }

  private find(image: string): ImageRecord | undefined {
    if (image === '') throw new ImageError('InvalidArgument', 'no image given');
    const records = this.records.all();
    if (isDigest(image)) return this.records.get(image);
    if (FULL_ID_RE.test(image)) return this.records.get(`sha256:${image}`);

    let ref;
    try {
      ref = parseReference(image);
    } catch (err) {
      if (SHORT_ID_RE.test(image)) return this.byIdPrefix(image);
      throw err;
    }
    const repo = repositoryOf(ref);
    const { digest } = ref;
    const named =
      digest !== undefined
        ? records.find(
            (r) =>
              r.repoDigests.includes(`${repo}@${digest}`) ||
              (r.manifestDigest === digest && r.repoDigests.some((d) => d.startsWith(`${repo}@`))),
          )
        : records.find((r) => r.repoTags.includes(`${repo}:${ref.tag ?? 'latest'}`));
    // `docker inspect abc123` style: a short hex string may be a name or an ID prefix.
    return named ?? (SHORT_ID_RE.test(image) ? this.byIdPrefix(image) : undefined);
  }

  private byIdPrefix(prefix: string): ImageRecord | undefined {
    const matches = this.records.all().filter((r) => r.id.startsWith(`sha256:${prefix}`));
    if (matches.length > 1) {
      throw new ImageError(
        'InvalidArgument',
        `image ID prefix ${prefix} is ambiguous (${matches.length} images)`,
      );
    }
    return matches[0];
  }

  private require(image: string): ImageRecord {
    const record = this.find(image);
    if (record === undefined)
      throw new ImageError('NotFound', `image ${JSON.stringify(image)} not found`);
    return record;
  }

  private layerSource(layer: ImageRecord['layers'][number]): Parameters<LayerStore['ensure']>[1] {
    return {
      path: this.content.path(layer.digest),
      compression: layerCompression(layer.mediaType),
      description: `layer ${layer.digest}`,
    };
  }

  private async configOf(record: ImageRecord): Promise<ImageConfig> {
    const cached = this.configs.get(record.id);
    if (cached !== undefined) return cached;
    const config = parseImageConfig(
      parseJson(await this.content.read(record.id), `config ${record.id}`),
      `config ${record.id}`,
    );
    this.configs.set(record.id, config);
    return config;
  }

  private async info(record: ImageRecord): Promise<ImageInfo> {
    return imageInfo(record, (await this.configOf(record)).config ?? {});
  }

  /** Runs `fn` after every earlier exclusive section has finished. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch((err: unknown) => err);
    return run;
  }
}
