import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { buildImage, buildIndex, ociLayoutArchive } from './build/image-builder.js';
import { sha256Of } from './digest.js';
import { isImageError } from './errors.js';
import { ImageStore } from './image-store.js';
import { hostPlatform } from './platform.js';
import { writeTar } from './tar/writer.js';
import { dockerArchive } from './testing/docker-archive.js';
import { appImage, baseLayer } from './testing/image-fixtures.js';
import { withTempDir } from './testing/temp-dir.js';

async function importBytes(store: ImageStore, dir: string, bytes: Buffer, baseName?: string) {
  const file = join(dir, `archive-${sha256Of(bytes).slice(7, 15)}.tar`);
  await writeFile(file, bytes);
  return store.import(file, baseName === undefined ? {} : { baseName });
}

/** Asserts the store holds no image and no stray files: what a failed import must leave. */
async function expectEmpty(store: ImageStore): Promise<void> {
  expect(await store.list()).toEqual([]);
  for (const sub of ['blobs/sha256', 'layers', 'tmp']) {
    expect(await readdir(join(store.imagesDir, sub)).catch(() => [])).toEqual([]);
  }
}

describe('ImageStore.import', () => {
  it('imports an OCI image layout with its name, config and unpacked layers', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const image = appImage('v1');
      const [info] = await importBytes(
        store,
        dir,
        ociLayoutArchive([{ image, name: 'localhost:5000/team/app:v1' }]),
      );
      expect(info).toMatchObject({
        id: image.config.digest,
        repoTags: ['localhost:5000/team/app:v1'],
        repoDigests: [`localhost:5000/team/app@${image.manifest.digest}`],
        manifestDigest: image.manifest.digest,
        size: image.config.bytes.length + image.layers.reduce((n, l) => n + l.bytes.length, 0),
        user: { uid: 1000 },
        config: {
          Entrypoint: ['/bin/hello'],
          Cmd: ['--version', 'v1'],
          WorkingDir: '/app',
          Labels: { version: 'v1' },
        },
      });
      const layers = await store.layersFor('localhost:5000/team/app:v1');
      expect(layers).toHaveLength(2);
      expect(await readFile(join(layers[0] ?? '', 'etc/os-release'), 'utf8')).toBe(
        'NAME=skiff-test\n',
      );
      expect(await readFile(join(layers[1] ?? '', 'app/version'), 'utf8')).toBe('v1');
      expect(await store.configFor(image.config.digest)).toMatchObject({
        ExposedPorts: { '8080/tcp': {} },
      });
    }));

  it('names a tag-only OCI ref.name with the base name given', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const image = appImage('v1');
      const layout = ociLayoutArchive([{ image }]);
      // Rewrite index.json the way skopeo writes it: ref.name holds only the tag.
      const index = {
        schemaVersion: 2,
        manifests: [
          {
            mediaType: image.manifest.mediaType,
            digest: image.manifest.digest,
            size: image.manifest.bytes.length,
            annotations: { 'org.opencontainers.image.ref.name': 'stable' },
          },
        ],
      };
      const blobs = [image.manifest, image.config, ...image.layers];
      const archive = writeTar([
        { path: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
        { path: 'index.json', data: JSON.stringify(index) },
        ...blobs.map((b) => ({ path: `blobs/sha256/${b.digest.slice(7)}`, data: b.bytes })),
      ]);
      expect(layout.length).toBeGreaterThan(0);
      const [info] = await importBytes(store, dir, archive, 'example.com/app');
      expect(info?.repoTags).toEqual(['example.com/app:stable']);
    }));

  it('picks this platform from a multi-platform OCI layout', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const mine = appImage('native');
      const other = buildImage(
        [baseLayer],
        { Cmd: ['other'] },
        { os: 'linux', architecture: 'mips64le' },
      );
      const index = buildIndex([other, mine]);
      const blobs = [
        index,
        other.manifest,
        other.config,
        mine.manifest,
        mine.config,
        ...mine.layers,
        ...other.layers,
      ];
      const archive = writeTar([
        { path: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
        {
          path: 'index.json',
          data: JSON.stringify({
            schemaVersion: 2,
            manifests: [
              {
                mediaType: index.mediaType,
                digest: index.digest,
                size: index.bytes.length,
                annotations: { 'io.containerd.image.name': 'docker.io/library/multi:1' },
              },
            ],
          }),
        },
        ...[...new Map(blobs.map((b) => [b.digest, b])).values()].map((b) => ({
          path: `blobs/sha256/${b.digest.slice(7)}`,
          data: b.bytes,
        })),
      ]);
      const [info] = await importBytes(store, dir, archive);
      expect(info).toMatchObject({
        id: mine.config.digest,
        repoTags: ['docker.io/library/multi:1'],
      });
      expect(info?.repoDigests).toEqual([`docker.io/library/multi@${index.digest}`]);
      expect(hostPlatform().os).toBe('linux');
    }));

  it.each([
    ['plain', (b: Buffer) => b],
    ['gzip-compressed', (b: Buffer) => gzipSync(b)],
  ])('imports a %s docker-archive with plain and gzip layers', (_what, wrap) =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const image = appImage('v1', { gzip: false });
      const infos = await importBytes(
        store,
        dir,
        wrap(dockerArchive([{ image, repoTags: ['app:v1', 'app:latest'] }])),
      );
      expect(infos).toHaveLength(1);
      expect(infos[0]).toMatchObject({
        id: image.config.digest,
        repoTags: ['docker.io/library/app:v1', 'docker.io/library/app:latest'],
      });
      const layers = await store.layersFor('app');
      expect(await readFile(join(layers[1] ?? '', 'app/version'), 'utf8')).toBe('v1');
      expect(await store.status('docker.io/library/app:v1')).toBeDefined();
      expect(await store.status(image.config.digest.slice(7, 19))).toBeDefined();
    }),
  );

  it('finds every image again after a restart', () =>
    withTempDir(async (dir) => {
      const first = await ImageStore.open({ root: dir });
      await importBytes(
        first,
        dir,
        ociLayoutArchive([{ image: appImage('v1'), name: 'example.com/app:v1' }]),
      );
      await importBytes(
        first,
        dir,
        dockerArchive([{ image: appImage('v2'), repoTags: ['example.com/app:v2'] }]),
      );
      const reopened = await ImageStore.open({ root: dir });
      const tags = (await reopened.list()).flatMap((i) => i.repoTags).sort();
      expect(tags).toEqual(['example.com/app:v1', 'example.com/app:v2']);
      expect(await reopened.layersFor('example.com/app:v2')).toHaveLength(2);
    }));

  it('moves a tag to the newly imported image, keeping the old one by ID', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const v1 = appImage('v1');
      const v2 = appImage('v2');
      await importBytes(
        store,
        dir,
        ociLayoutArchive([{ image: v1, name: 'example.com/app:latest' }]),
      );
      await importBytes(
        store,
        dir,
        ociLayoutArchive([{ image: v2, name: 'example.com/app:latest' }]),
      );
      expect((await store.status('example.com/app:latest'))?.id).toBe(v2.config.digest);
      expect((await store.status(v1.config.digest))?.repoTags).toEqual([]);
    }));

  it.each<[string, () => Buffer]>([
    [
      'a truncated archive',
      () => ociLayoutArchive([{ image: appImage('v1'), name: 'x.io/a:b' }]).subarray(0, 3000),
    ],
    ['a file that is not a tar', () => Buffer.from('definitely not a tarball\n'.repeat(100))],
    ['a tar that is no image', () => writeTar([{ path: 'README', data: 'hello' }])],
    [
      'a truncated gzip archive',
      () =>
        gzipSync(dockerArchive([{ image: appImage('v1'), repoTags: ['a:b'] }])).subarray(0, 500),
    ],
  ])('rejects %s with InvalidArchive and keeps nothing', (_what, make) =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const err = await importBytes(store, dir, make()).catch((e: unknown) => e);
      expect(isImageError(err, 'InvalidArchive')).toBe(true);
      await expectEmpty(store);
    }),
  );

  it('rejects an OCI layout whose blob does not match its digest, keeping nothing', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const image = appImage('v1');
      const tampered = Buffer.from(image.layers[1]?.bytes ?? Buffer.alloc(0));
      const at = tampered.length - 2000;
      tampered.writeUInt8(tampered.readUInt8(at) ^ 0xff, at);
      const blobs = [
        image.manifest,
        image.config,
        image.layers[0],
        { ...image.layers[1], bytes: tampered },
      ];
      const archive = writeTar([
        { path: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
        {
          path: 'index.json',
          data: JSON.stringify({
            schemaVersion: 2,
            manifests: [
              {
                mediaType: image.manifest.mediaType,
                digest: image.manifest.digest,
                size: image.manifest.bytes.length,
              },
            ],
          }),
        },
        ...blobs.map((b) => ({ path: `blobs/sha256/${b?.digest?.slice(7)}`, data: b?.bytes })),
      ]);
      const err = await importBytes(store, dir, archive).catch((e: unknown) => e);
      expect(isImageError(err, 'DigestMismatch')).toBe(true);
      expect((err as Error).message).toContain(image.layers[1]?.digest.slice(7));
      await expectEmpty(store);
    }));

  it('rejects a docker-archive whose layers do not match the config diff IDs, keeping nothing', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const image = appImage('v1');
      const config = JSON.parse(image.config.bytes.toString()) as {
        rootfs: { diff_ids: string[] };
      };
      config.rootfs.diff_ids[1] = sha256Of('something else');
      const archive = dockerArchive([
        { image, repoTags: ['a:b'], configOverride: Buffer.from(JSON.stringify(config)) },
      ]);
      const err = await importBytes(store, dir, archive).catch((e: unknown) => e);
      expect(isImageError(err, 'DigestMismatch')).toBe(true);
      await expectEmpty(store);
    }));
});

describe('ImageStore.remove and fsInfo', () => {
  it('keeps shared layers until the last image using them is removed', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const v1 = appImage('v1');
      const v2 = appImage('v2');
      await importBytes(
        store,
        dir,
        ociLayoutArchive([
          { image: v1, name: 'x.io/app:v1' },
          { image: v2, name: 'x.io/app:v2' },
        ]),
      );
      const before = await store.fsInfo();
      expect(await readdir(join(store.imagesDir, 'layers'))).toHaveLength(3);

      expect(await store.remove('x.io/app:v1')).toBe(true);
      expect(await readdir(join(store.imagesDir, 'layers'))).toHaveLength(2);
      expect(await store.layersFor('x.io/app:v2')).toHaveLength(2);
      const middle = await store.fsInfo();
      expect(middle.usedBytes).toBeLessThan(before.usedBytes);
      expect(middle.inodesUsed).toBeLessThan(before.inodesUsed);

      expect(await store.remove(v2.config.digest)).toBe(true);
      expect(await store.remove('x.io/app:v2')).toBe(false);
      expect(await readdir(join(store.imagesDir, 'layers'))).toEqual([]);
      expect(await readdir(join(store.imagesDir, 'blobs', 'sha256'))).toEqual([]);
    }));

  it('reports usage under the images directory at the clock time', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir, clock: new FakeClock(1_234_000) });
      await importBytes(
        store,
        dir,
        ociLayoutArchive([{ image: appImage('v1'), name: 'x.io/app:v1' }]),
      );
      const info = await store.fsInfo();
      expect(info).toMatchObject({ timestampMs: 1_234_000, mountpoint: join(dir, 'images') });
      expect(info.usedBytes).toBeGreaterThan(0);
      expect(info.inodesUsed).toBeGreaterThan(10);
    }));

  it('reports an unknown image as NotFound for layersFor and as absent for status', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      expect(await store.status('nope:1')).toBeUndefined();
      const err = await store.layersFor('nope:1').catch((e: unknown) => e);
      expect(isImageError(err, 'NotFound')).toBe(true);
      const bad = await store.status('Not A Ref').catch((e: unknown) => e);
      expect(isImageError(bad, 'InvalidArgument')).toBe(true);
    }));
});
