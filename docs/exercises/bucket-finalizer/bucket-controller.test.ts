// Grades the bucket controller (README.md) with real storage: each bucket is a directory under a
// temp dir. `pnpm exercise bucket-finalizer` runs these against starter/; the normal suite runs
// them against solution/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isConflict, isNotFound, type Client } from '@skiff/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EVENTUALLY, startCluster, type Cluster } from '../../testing/cluster.js';
import { installCrd } from '../../src/index.js';
import { BUCKET_CRD, bucketKind, bucketPath, FINALIZER, type Bucket } from './contract.js';
import { addBucketController } from './impl.js';

const NS = 'default';
const HOLD = 'example.com/hold';

interface Fixture {
  readonly cluster: Cluster;
  readonly client: Client;
  readonly root: string;
  /** Starts the controller (tests that prepare state first call it later). */
  startController(): void;
}

async function bucketCluster(): Promise<Fixture> {
  const cluster = await startCluster();
  await installCrd(cluster.client, BUCKET_CRD);
  const root = await mkdtemp(join(tmpdir(), 'skiff-buckets-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  return {
    cluster,
    client: cluster.client,
    root,
    startController: () => {
      const manager = cluster.newManager();
      addBucketController(manager, { root });
      cluster.start(manager);
    },
  };
}

const buckets = (client: Client) => client.resource<Bucket>(bucketKind, NS);

function bucket(name: string, finalizers?: string[]): Bucket {
  return {
    apiVersion: 'exercises.skiff.dev/v1',
    kind: 'Bucket',
    metadata: { name, namespace: NS, ...(finalizers && { finalizers }) },
    spec: { description: `the ${name} bucket` },
  };
}

async function read(client: Client, name: string): Promise<Bucket | 'absent'> {
  try {
    return await buckets(client).get(name);
  } catch (err) {
    if (isNotFound(err)) return 'absent';
    throw err;
  }
}

const pathOf = (f: Fixture, name: string) => bucketPath(f.root, { namespace: NS, name });

async function provisioned(f: Fixture, name: string): Promise<void> {
  await expect
    .poll(async () => (await buckets(f.client).get(name)).status, EVENTUALLY)
    .toEqual({
      path: pathOf(f, name),
      ready: true,
    });
}

describe('bucket-finalizer', () => {
  it('provisions storage for a new Bucket, guarded by the finalizer, and reports it', async () => {
    const f = await bucketCluster();
    f.startController();
    await buckets(f.client).create(bucket('photos'));
    await provisioned(f, 'photos');
    expect(existsSync(pathOf(f, 'photos'))).toBe(true);
    expect((await buckets(f.client).get('photos')).metadata.finalizers).toEqual([FINALIZER]);
  });

  it('removes the storage, files and all, before the Bucket may go', async () => {
    const f = await bucketCluster();
    f.startController();
    await buckets(f.client).create(bucket('photos'));
    await provisioned(f, 'photos');
    await writeFile(join(pathOf(f, 'photos'), 'cat.jpg'), 'meow');
    await buckets(f.client).delete('photos');
    await expect.poll(() => read(f.client, 'photos'), EVENTUALLY).toBe('absent');
    expect(existsSync(pathOf(f, 'photos'))).toBe(false);
  });

  it('removes only its own finalizer', async () => {
    const f = await bucketCluster();
    f.startController();
    await buckets(f.client).create(bucket('shared', [HOLD]));
    await provisioned(f, 'shared');
    expect((await buckets(f.client).get('shared')).metadata.finalizers?.sort()).toEqual(
      [HOLD, FINALIZER].sort(),
    );
    await buckets(f.client).delete('shared');
    await expect
      .poll(async () => (await buckets(f.client).get('shared')).metadata.finalizers, EVENTUALLY)
      .toEqual([HOLD]);
    expect(existsSync(pathOf(f, 'shared'))).toBe(false);
  });

  it('does not provision, nor claim, a Bucket already being deleted', async () => {
    const f = await bucketCluster();
    await buckets(f.client).create(bucket('doomed', [HOLD]));
    await buckets(f.client).delete('doomed');
    f.startController();
    // A Bucket made after the doomed one: once it is provisioned, the controller has seen both.
    await buckets(f.client).create(bucket('marker'));
    await provisioned(f, 'marker');
    const doomed = await buckets(f.client).get('doomed');
    expect(doomed.metadata.finalizers).toEqual([HOLD]);
    expect(existsSync(pathOf(f, 'doomed'))).toBe(false);
  });

  it('keeps trying while the storage fails, and gets there once it works', async () => {
    const f = await bucketCluster();
    // The namespace's directory is a file: creating any bucket in it fails.
    await writeFile(join(f.root, NS), 'in the way');
    f.startController();
    await buckets(f.client).create(bucket('photos'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await buckets(f.client).get('photos')).status?.ready).not.toBe(true);
    await rm(join(f.root, NS));
    await provisioned(f, 'photos');
  });

  it('adopts storage left over from an earlier run, and finishes a deletion whose storage is gone', async () => {
    const f = await bucketCluster();
    await mkdir(pathOf(f, 'photos'), { recursive: true });
    await writeFile(join(pathOf(f, 'photos'), 'kept.txt'), 'still here');
    f.startController();
    await buckets(f.client).create(bucket('photos'));
    await provisioned(f, 'photos');
    expect(await readFile(join(pathOf(f, 'photos'), 'kept.txt'), 'utf8')).toBe('still here');

    await rm(pathOf(f, 'photos'), { recursive: true });
    await buckets(f.client).delete('photos');
    await expect.poll(() => read(f.client, 'photos'), EVENTUALLY).toBe('absent');
  });

  it('converges while someone else keeps writing the Bucket (conflicts), losing nothing', async () => {
    const f = await bucketCluster();
    f.startController();
    await buckets(f.client).create(bucket('busy'));
    // Ten label changes racing the controller's finalizer and status writes. Each of ours is a
    // read-modify-write too, retried on 409, like a well-behaved user's tool.
    for (let i = 1; i <= 10; i++) {
      for (;;) {
        const current = await buckets(f.client).get('busy');
        try {
          await buckets(f.client).update({
            ...current,
            metadata: { ...current.metadata, labels: { edit: String(i) } },
          });
          break;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
    }
    await provisioned(f, 'busy');
    const final = await buckets(f.client).get('busy');
    expect(final.metadata.labels).toEqual({ edit: '10' });
    expect(final.metadata.finalizers).toEqual([FINALIZER]);
    expect(existsSync(pathOf(f, 'busy'))).toBe(true);
  });
});
