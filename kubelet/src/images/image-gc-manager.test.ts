import { FakeClock } from '@skiff/api/testing';
import type { Container__Output, Image__Output } from '@skiff/proto';
import { describe, expect, it } from 'vitest';
import {
  IMAGE_GC_PERIOD_MS,
  ImageGCManager,
  validateImageGCPolicy,
  type ImageGCPolicy,
} from './image-gc-manager.js';

const MINUTE = 60_000;

/** A runtime's images and containers as CRI lists them, and the removals asked for. */
class FakeImageRuntime {
  images: Image__Output[] = [];
  containers: Container__Output[] = [];
  readonly removed: string[] = [];
  failRemoval = new Set<string>();

  image(id: string, size: number, fields: Partial<Image__Output> = {}): this {
    this.images.push({
      id,
      repo_tags: [`registry.local/${id}:latest`],
      repo_digests: [],
      size: String(size),
      uid: null,
      username: '',
      spec: null,
      pinned: false,
      ...fields,
    });
    return this;
  }

  /** A container (any state) made from `image`, named by its tag as a pod spec names it. */
  containerOf(image: string): this {
    this.containers.push({
      id: `c-${this.containers.length}`,
      pod_sandbox_id: 's',
      metadata: { name: 'app', attempt: 0 },
      image: {
        image: `registry.local/${image}:latest`,
        annotations: {},
        user_specified_image: '',
        runtime_handler: '',
      },
      image_ref: '',
      image_id: '',
      state: 'CONTAINER_EXITED',
      created_at: '0',
      labels: {},
      annotations: {},
    });
    return this;
  }

  listImages = (): Promise<Image__Output[]> => Promise.resolve([...this.images]);
  listContainers = (): Promise<Container__Output[]> => Promise.resolve([...this.containers]);
  removeImage = (id: string): Promise<void> => {
    if (this.failRemoval.has(id)) return Promise.reject(new Error(`image ${id} is busy`));
    this.removed.push(id);
    this.images = this.images.filter((i) => i.id !== id);
    return Promise.resolve();
  };
}

function setUp(disk: { capacity: number; available: number }, policy?: Partial<ImageGCPolicy>) {
  const clock = new FakeClock();
  const runtime = new FakeImageRuntime();
  const events: string[] = [];
  const manager = new ImageGCManager({
    clock,
    runtime,
    imageFsUsage: () =>
      Promise.resolve({ capacityBytes: disk.capacity, availableBytes: disk.available }),
    policy: { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 2 * MINUTE, ...policy },
    nodeEvent: (reason, message) => events.push(`${reason}: ${message}`),
    log: () => undefined,
  });
  return { clock, runtime, events, manager };
}

describe('ImageGCManager', () => {
  it('frees nothing while the image filesystem is below the high threshold', async () => {
    const { clock, runtime, manager } = setUp({ capacity: 1000, available: 160 });
    runtime.image('old', 100);
    await manager.detectImages(clock.now());
    await clock.advance(10 * MINUTE);
    await manager.garbageCollect();
    expect(runtime.removed).toEqual([]);
  });

  it('past the high threshold, removes unused images least recently used first, down to the low one', async () => {
    // 90% used: free 1000 × 20% − 100 = 100 bytes.
    const { clock, runtime, manager } = setUp({ capacity: 1000, available: 100 });
    runtime.image('a', 60).image('b', 60).image('c', 60).image('in-use', 500);
    runtime.containerOf('b').containerOf('in-use');
    await manager.detectImages(clock.now());
    await clock.advance(5 * MINUTE);
    // b was last used at the 5th minute; then its container went.
    await manager.detectImages(clock.now());
    runtime.containers = runtime.containers.filter((c) => !c.image?.image.includes('/b:'));
    await clock.advance(5 * MINUTE);
    await manager.garbageCollect();
    // a and c were never used (first detected together: list order), b was used: it goes last.
    expect(runtime.removed).toEqual(['a', 'c']);
  });

  it('spares images first seen less than imageMinimumGCAge ago and pinned ones', async () => {
    const { clock, runtime, events, manager } = setUp({ capacity: 1000, available: 100 });
    runtime.image('pause', 50, { pinned: true });
    await manager.detectImages(clock.now());
    await clock.advance(5 * MINUTE);
    runtime.image('just-pulled', 400);
    await expect(manager.garbageCollect()).rejects.toThrow(
      'Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 0 bytes eligible to free.',
    );
    expect(runtime.removed).toEqual([]);
    expect(events).toEqual([
      'FreeDiskSpaceFailed: Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 0 bytes eligible to free.',
    ]);
  });

  it('deleteUnusedImages removes every unused image old enough, whatever the disk says', async () => {
    const { clock, runtime, manager } = setUp({ capacity: 1000, available: 900 });
    runtime.image('a', 1).image('b', 1).image('used', 1);
    runtime.containerOf('used');
    await manager.detectImages(clock.now());
    await clock.advance(3 * MINUTE);
    await manager.deleteUnusedImages();
    expect(runtime.removed.sort()).toEqual(['a', 'b']);
  });

  it('matches a container by the runtime image ID (image_ref) as well as by the spec name', async () => {
    const { clock, runtime, manager } = setUp({ capacity: 1000, available: 900 });
    runtime.image('sha256:abc', 1, { repo_tags: [] });
    runtime.containerOf('x');
    const container = runtime.containers[0];
    if (container) runtime.containers[0] = { ...container, image_ref: 'sha256:abc' };
    await manager.detectImages(clock.now());
    await clock.advance(3 * MINUTE);
    await manager.deleteUnusedImages();
    expect(runtime.removed).toEqual([]);
  });

  it('goes on past a removal that fails and reports it', async () => {
    const { clock, runtime, manager } = setUp({ capacity: 1000, available: 900 });
    runtime.image('stuck', 10).image('free', 10);
    runtime.failRemoval.add('stuck');
    await manager.detectImages(clock.now());
    await clock.advance(3 * MINUTE);
    await expect(manager.deleteUnusedImages()).rejects.toThrow(
      'wanted to free Infinity bytes, but freed 10 bytes space with errors in image deletion: [image stuck is busy]',
    );
    expect(runtime.removed).toEqual(['free']);
  });

  it('reports an image filesystem of capacity 0 (InvalidDiskCapacity)', async () => {
    const { events, manager } = setUp({ capacity: 0, available: 0 });
    await expect(manager.garbageCollect()).rejects.toThrow(
      'invalid capacity 0 on image filesystem',
    );
    expect(events).toEqual(['InvalidDiskCapacity: invalid capacity 0 on image filesystem']);
  });

  it('runs every 5 minutes; only a second failure in a row is an ImageGCFailed event', async () => {
    const { clock, runtime, events, manager } = setUp({ capacity: 1000, available: 100 });
    runtime.image('busy', 500).containerOf('busy');
    const gcFailed = () => events.filter((e) => e.startsWith('ImageGCFailed'));
    const stop = new AbortController();
    const loop = manager.run(stop.signal);
    await clock.advance(0);
    // The first round cannot free anything (the only image is in use): logged only.
    expect(events.filter((e) => e.startsWith('FreeDiskSpaceFailed'))).toHaveLength(1);
    expect(gcFailed()).toEqual([]);
    await clock.advance(IMAGE_GC_PERIOD_MS);
    expect(gcFailed()).toEqual([
      'ImageGCFailed: Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 0 bytes eligible to free.',
    ]);
    // Once the container is gone the image goes, and the loop is happy again.
    runtime.containers = [];
    await clock.advance(IMAGE_GC_PERIOD_MS);
    expect(runtime.removed).toEqual(['busy']);
    stop.abort();
    await loop;
  });

  it('does not collect periodically with a high threshold of 100', async () => {
    const { runtime, manager } = setUp(
      { capacity: 1000, available: 0 },
      {
        highThresholdPercent: 100,
        minAgeMs: 0,
      },
    );
    runtime.image('a', 1);
    await manager.run(new AbortController().signal);
    expect(runtime.removed).toEqual([]);
  });

  it.each([
    [{ highThresholdPercent: 101, lowThresholdPercent: 80 }, 'invalid HighThresholdPercent 101'],
    [{ highThresholdPercent: 85, lowThresholdPercent: -1 }, 'invalid LowThresholdPercent -1'],
    [
      { highThresholdPercent: 70, lowThresholdPercent: 80 },
      'LowThresholdPercent 80 can not be higher than HighThresholdPercent 70',
    ],
  ])('refuses the policy %j', (policy, message) => {
    expect(() => validateImageGCPolicy({ ...policy, minAgeMs: 0 })).toThrow(message);
  });
});
