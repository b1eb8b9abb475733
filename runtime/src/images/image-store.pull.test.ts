import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobOf, buildImage, buildIndex, type BuiltImage } from './build/image-builder.js';
import { isImageError } from './errors.js';
import { ImageStore } from './image-store.js';
import { MediaType } from './media-types.js';
import { startAuthFront, type AuthFront } from './testing/auth-front.js';
import { requireHostTool } from './testing/host-tools.js';
import { htpasswdLine } from './testing/htpasswd.js';
import { appImage, baseLayer } from './testing/image-fixtures.js';
import {
  pushImage,
  REGISTRY_BINARY,
  startRegistry,
  type TestRegistry,
} from './testing/registry.js';
import { withTempDir } from './testing/temp-dir.js';

const haveRegistry = requireHostTool(REGISTRY_BINARY, 'docker-registry');

/** The same image described with Docker's schema2 media types instead of OCI's. */
function dockerSchema2(image: BuiltImage): BuiltImage {
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: {
      mediaType: MediaType.dockerConfig,
      digest: image.config.digest,
      size: image.config.bytes.length,
    },
    layers: image.layers.map((l) => ({
      mediaType: l.mediaType === MediaType.ociLayerGzip ? MediaType.dockerLayerGzip : l.mediaType,
      digest: l.digest,
      size: l.bytes.length,
    })),
  };
  return {
    ...image,
    manifest: blobOf(Buffer.from(JSON.stringify(manifest)), MediaType.dockerManifest),
  };
}

async function expectNothingStored(store: ImageStore): Promise<void> {
  expect(await store.list()).toEqual([]);
  expect(await readdir(join(store.imagesDir, 'blobs', 'sha256'))).toEqual([]);
  expect(await readdir(join(store.imagesDir, 'layers'))).toEqual([]);
}

describe.runIf(haveRegistry)('ImageStore.pull from a registry on loopback', () => {
  let registryDir: string;
  let registry: TestRegistry;
  const v1 = appImage('v1');

  // One registry for the file; each test gets its own store and its own repositories.
  beforeAll(async () => {
    registryDir = await mkdtemp(join(tmpdir(), 'skiff-registry-'));
    registry = await startRegistry(registryDir);
  });
  afterAll(async () => {
    await registry.stop();
    await rm(registryDir, { recursive: true, force: true });
  });

  it('pulls a tagged OCI image over plain HTTP and unpacks it', () =>
    withTempDir(async (dir) => {
      await pushImage(registry.host, 'team/app', 'v1', [v1]);
      const store = await ImageStore.open({ root: dir });
      const info = await store.pull(`${registry.host}/team/app:v1`);
      expect(info).toMatchObject({
        id: v1.config.digest,
        repoTags: [`${registry.host}/team/app:v1`],
        repoDigests: [`${registry.host}/team/app@${v1.manifest.digest}`],
        config: { Cmd: ['--version', 'v1'] },
      });
      const layers = await store.layersFor(`${registry.host}/team/app:v1`);
      expect(await readFile(join(layers[1] ?? '', 'app/version'), 'utf8')).toBe('v1');
      expect((await store.list()).map((i) => i.id)).toEqual([v1.config.digest]);
    }));

  it('pulls the same image twice at once into one image with each layer unpacked once', () =>
    withTempDir(async (dir) => {
      await pushImage(registry.host, 'team/twice', 'v1', [v1]);
      const store = await ImageStore.open({ root: dir });
      const ref = `${registry.host}/team/twice:v1`;
      const [a, b] = await Promise.all([store.pull(ref), store.pull(ref)]);
      expect(a.id).toBe(b.id);
      expect(await store.list()).toHaveLength(1);
      expect(await readdir(join(store.imagesDir, 'layers'))).toHaveLength(2);
      expect(await readdir(join(store.imagesDir, 'tmp'))).toEqual([]);
    }));

  it('pulls a Docker schema2 image by digest', () =>
    withTempDir(async (dir) => {
      const image = dockerSchema2(appImage('schema2'));
      await pushImage(registry.host, 'team/docker', 'd1', [image]);
      const store = await ImageStore.open({ root: dir });
      const info = await store.pull(`${registry.host}/team/docker@${image.manifest.digest}`);
      expect(info).toMatchObject({ id: image.config.digest, repoTags: [] });
      expect(
        await store.status(`${registry.host}/team/docker@${image.manifest.digest}`),
      ).toBeDefined();
      expect(await store.layersFor(image.config.digest)).toHaveLength(2);
    }));

  it('resolves a manifest list to this platform', () =>
    withTempDir(async (dir) => {
      const mine = appImage('multi');
      const other = buildImage(
        [baseLayer],
        { Cmd: ['other'] },
        { os: 'linux', architecture: 's390x' },
      );
      const index = buildIndex([other, mine]);
      await pushImage(registry.host, 'team/multi', 'm1', [other, mine], { index });
      const store = await ImageStore.open({ root: dir });
      const info = await store.pull(`${registry.host}/team/multi:m1`);
      expect(info.id).toBe(mine.config.digest);
      expect(info.repoDigests).toEqual([`${registry.host}/team/multi@${index.digest}`]);
    }));

  it('reports a missing tag as NotFound and keeps nothing', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const err = await store.pull(`${registry.host}/team/app:nope`).catch((e: unknown) => e);
      expect(isImageError(err, 'NotFound')).toBe(true);
      expect((err as Error).message).toContain('team/app:nope');
      await expectNothingStored(store);
    }));

  it('rejects a blob the registry serves with the wrong content, keeping nothing', () =>
    withTempDir(async (dir) => {
      const image = appImage('tampered');
      await pushImage(registry.host, 'team/tampered', 't1', [image]);
      const top = image.layers[1];
      if (top === undefined) throw new Error('fixture has two layers');
      const hex = top.digest.slice(7);
      const stored = join(
        registry.storageDir,
        'docker/registry/v2/blobs/sha256',
        hex.slice(0, 2),
        hex,
        'data',
      );
      const bytes = await readFile(stored);
      await writeFile(
        stored,
        Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from('!')]),
      );

      const store = await ImageStore.open({ root: dir });
      const err = await store.pull(`${registry.host}/team/tampered:t1`).catch((e: unknown) => e);
      expect(isImageError(err, 'DigestMismatch')).toBe(true);
      expect((err as Error).message).toContain(top.digest);
      await expectNothingStored(store);
    }));

  describe.each(['bearer', 'basic'] as const)('behind %s authentication', (mode) => {
    let front: AuthFront;
    beforeAll(async () => {
      await pushImage(registry.host, 'private/app', 'v1', [v1]);
      front = await startAuthFront({
        upstream: registry.host,
        mode,
        username: 'alice',
        password: 's3cret',
      });
    });
    afterAll(() => front.stop());

    it('pulls with the right credentials', () =>
      withTempDir(async (dir) => {
        const store = await ImageStore.open({ root: dir });
        const info = await store.pull(`${front.host}/private/app:v1`, {
          auth: { username: 'alice', password: 's3cret' },
        });
        expect(info.id).toBe(v1.config.digest);
        if (mode === 'bearer') {
          expect(front.tokenRequests.at(-1)).toEqual({
            service: 'skiff-test-registry',
            scope: 'repository:private/app:pull',
            withCredentials: true,
          });
        }
      }));

    it('accepts credentials in the docker config `auth` form', () =>
      withTempDir(async (dir) => {
        const store = await ImageStore.open({ root: dir });
        const auth = Buffer.from('alice:s3cret').toString('base64');
        expect((await store.pull(`${front.host}/private/app:v1`, { auth: { auth } })).id).toBe(
          v1.config.digest,
        );
      }));

    it.each([
      ['wrong credentials', { username: 'alice', password: 'wrong' }],
      ['no credentials', {}],
    ])('fails with Unauthorized given %s and keeps nothing', (_what, auth) =>
      withTempDir(async (dir) => {
        const store = await ImageStore.open({ root: dir });
        const err = await store
          .pull(`${front.host}/private/app:v1`, { auth })
          .catch((e: unknown) => e);
        expect(isImageError(err, 'Unauthorized')).toBe(true);
        await expectNothingStored(store);
      }),
    );
  });

  it('pulls anonymously when the token server grants anonymous tokens', () =>
    withTempDir(async (dir) => {
      await pushImage(registry.host, 'public/app', 'v1', [v1]);
      const front = await startAuthFront({
        upstream: registry.host,
        mode: 'bearer',
        username: 'x',
        password: 'y',
        allowAnonymous: true,
      });
      try {
        const store = await ImageStore.open({ root: dir });
        expect((await store.pull(`${front.host}/public/app:v1`)).id).toBe(v1.config.digest);
        expect(front.tokenRequests).toEqual([
          {
            service: 'skiff-test-registry',
            scope: 'repository:public/app:pull',
            withCredentials: false,
          },
        ]);
      } finally {
        await front.stop();
      }
    }));
});

describe.runIf(haveRegistry)('ImageStore.pull from a registry with htpasswd basic auth', () => {
  it('pulls with the right password and is refused without one', async () => {
    await withTempDir(async (dir) => {
      const registry = await startRegistry(dir, { htpasswd: htpasswdLine('alice', 's3cret') });
      try {
        const image = appImage('htpasswd');
        const authorization = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
        await pushImage(registry.host, 'secure/app', 'v1', [image], { authorization });
        const store = await ImageStore.open({ root: join(dir, 'store') });
        const denied = await store.pull(`${registry.host}/secure/app:v1`).catch((e: unknown) => e);
        expect(isImageError(denied, 'Unauthorized')).toBe(true);
        const info = await store.pull(`${registry.host}/secure/app:v1`, {
          auth: { username: 'alice', password: 's3cret' },
        });
        expect(info.id).toBe(image.config.digest);
      } finally {
        await registry.stop();
      }
    });
  });
});
