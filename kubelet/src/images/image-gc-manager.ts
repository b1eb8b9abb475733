// The image garbage collector (Kubernetes' pkg/kubelet/images/image_gc_manager.go). It keeps a
// record of every image the runtime holds — when it was first seen, when a container last used it,
// its size — and frees space in least-recently-used order:
//
//   garbageCollect      every 5 minutes: when the image filesystem is at least
//                       imageGCHighThresholdPercent full, delete unused images until it is down to
//                       imageGCLowThresholdPercent (FreeDiskSpaceFailed when not enough could go)
//   deleteUnusedImages  what the eviction manager calls under disk pressure: every unused image
//
// An image is in use while any container (running or exited) was made from it; an image first
// seen less than imageMinimumGCAge ago is spared (it may have just been pulled for a container
// about to be made), and so is one the runtime pins (its sandbox image).
import { errorMessage, sleepUnlessAborted, type Clock } from '@skiff/api';
import type { Container__Output, Image__Output } from '@skiff/proto';

export interface ImageGCPolicy {
  /** imageGCHighThresholdPercent (85): the disk use, in percent, that starts a collection. */
  readonly highThresholdPercent: number;
  /** imageGCLowThresholdPercent (80): the disk use a collection frees down to. */
  readonly lowThresholdPercent: number;
  /** imageMinimumGCAge (2 min): images seen more recently than this are never collected. */
  readonly minAgeMs: number;
}

export const DEFAULT_IMAGE_GC_POLICY: ImageGCPolicy = {
  highThresholdPercent: 85,
  lowThresholdPercent: 80,
  minAgeMs: 2 * 60_000,
};

/** ImageGCPeriod: how often the kubelet collects images (and re-reads what the runtime has). */
export const IMAGE_GC_PERIOD_MS = 5 * 60_000;

/** The checks NewImageGCManager makes of its policy, with its messages. */
export function validateImageGCPolicy(policy: ImageGCPolicy): void {
  const { highThresholdPercent: high, lowThresholdPercent: low } = policy;
  if (!Number.isInteger(high) || high < 0 || high > 100) {
    throw new Error(`invalid HighThresholdPercent ${high}, must be in range [0-100]`);
  }
  if (!Number.isInteger(low) || low < 0 || low > 100) {
    throw new Error(`invalid LowThresholdPercent ${low}, must be in range [0-100]`);
  }
  if (low > high) {
    throw new Error(
      `LowThresholdPercent ${low} can not be higher than HighThresholdPercent ${high}`,
    );
  }
}

/** The runtime calls the collector makes: images, their removal, and every container. */
export interface ImageGcRuntime {
  listImages(): Promise<Image__Output[]>;
  removeImage(image: string): Promise<void>;
  listContainers(): Promise<Container__Output[]>;
}

export interface ImageFsUsage {
  readonly capacityBytes: number;
  readonly availableBytes: number;
}

export interface ImageGCManagerOptions {
  readonly clock: Clock;
  readonly runtime: ImageGcRuntime;
  /** The image filesystem's size and free space (statfs of the runtime's ImageFsInfo mount). */
  readonly imageFsUsage: () => Promise<ImageFsUsage>;
  readonly policy?: ImageGCPolicy;
  /** A Warning Event about the Node (FreeDiskSpaceFailed, InvalidDiskCapacity, ImageGCFailed). */
  readonly nodeEvent: (reason: string, message: string) => void;
  readonly log: (message: string) => void;
}

interface ImageRecord {
  /** When the collector first saw the image. */
  readonly firstDetected: number;
  /** When a container last used it (0: never seen in use). */
  lastUsed: number;
  size: number;
  pinned: boolean;
}

interface EvictionCandidate extends ImageRecord {
  readonly id: string;
}

export class ImageGCManager {
  private readonly records = new Map<string, ImageRecord>();
  private readonly policy: ImageGCPolicy;

  constructor(private readonly options: ImageGCManagerOptions) {
    this.policy = options.policy ?? DEFAULT_IMAGE_GC_POLICY;
    validateImageGCPolicy(this.policy);
  }

  /**
   * Records the runtime's images (new ones as first seen at `detectTime`, those in use as used
   * now), forgets the ones gone, and returns the IDs of the images in use.
   */
  async detectImages(detectTime: number): Promise<Set<string>> {
    const { runtime, clock } = this.options;
    const images = await runtime.listImages();
    const containers = await runtime.listContainers();
    // A container names its image by the runtime's ID (image_id; image_ref before it) and as the
    // spec wrote it.
    const used = new Set(
      containers.flatMap((c) => [c.image_id, c.image_ref, c.image?.image ?? '']),
    );
    const inUse = new Set<string>();
    const now = clock.now();
    for (const image of images) {
      const names = [image.id, ...image.repo_tags, ...image.repo_digests];
      if (names.some((n) => n !== '' && used.has(n))) inUse.add(image.id);
      const record = this.records.get(image.id) ?? {
        firstDetected: detectTime,
        lastUsed: 0,
        size: 0,
        pinned: false,
      };
      if (inUse.has(image.id)) record.lastUsed = now;
      record.size = Number(image.size);
      record.pinned = image.pinned;
      this.records.set(image.id, record);
    }
    const present = new Set(images.map((i) => i.id));
    for (const id of [...this.records.keys()]) if (!present.has(id)) this.records.delete(id);
    return inUse;
  }

  /** Unused, unpinned images, least recently used first (ties: first detected first). */
  private async imagesInEvictionOrder(freeTime: number): Promise<EvictionCandidate[]> {
    const inUse = await this.detectImages(freeTime);
    return [...this.records]
      .filter(([id, record]) => !inUse.has(id) && !record.pinned)
      .map(([id, record]) => ({ id, ...record }))
      .sort((a, b) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected);
  }

  /** Deletes candidates in order until `bytesToFree` are freed; returns the bytes freed. */
  private async freeSpace(
    bytesToFree: number,
    freeTime: number,
    images: readonly EvictionCandidate[],
  ): Promise<number> {
    const errors: string[] = [];
    let freed = 0;
    for (const image of images) {
      // Used at or after the collection began: a container took it meanwhile.
      if (image.lastUsed >= freeTime) continue;
      // Maybe just pulled for a container about to be made.
      if (freeTime - image.firstDetected < this.policy.minAgeMs) continue;
      this.options.log(`image GC: removing image ${image.id} to free ${image.size} bytes`);
      try {
        await this.options.runtime.removeImage(image.id);
      } catch (err) {
        errors.push(errorMessage(err));
        continue;
      }
      this.records.delete(image.id);
      freed += image.size;
      if (freed >= bytesToFree) break;
    }
    if (errors.length > 0) {
      throw new Error(
        `wanted to free ${bytesToFree} bytes, but freed ${freed} bytes space with errors in image deletion: [${errors.join(', ')}]`,
      );
    }
    return freed;
  }

  /** Frees the image filesystem down to the low threshold once it is past the high one. */
  async garbageCollect(): Promise<void> {
    const freeTime = this.options.clock.now();
    const images = await this.imagesInEvictionOrder(freeTime);
    const usage = await this.options.imageFsUsage();
    const capacity = usage.capacityBytes;
    const available = Math.min(usage.availableBytes, capacity);
    if (capacity === 0) {
      const message = 'invalid capacity 0 on image filesystem';
      this.options.nodeEvent('InvalidDiskCapacity', message);
      throw new Error(message);
    }
    const usagePercent = 100 - Math.trunc((available * 100) / capacity);
    if (usagePercent < this.policy.highThresholdPercent) return;
    const amountToFree =
      Math.trunc((capacity * (100 - this.policy.lowThresholdPercent)) / 100) - available;
    this.options.log(
      `image GC: disk usage on the image filesystem is ${usagePercent}%, over the high threshold (${this.policy.highThresholdPercent}%); freeing ${amountToFree} bytes down to the low threshold (${this.policy.lowThresholdPercent}%)`,
    );
    const freed = await this.freeSpace(amountToFree, freeTime, images);
    if (freed < amountToFree) {
      const message = `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
      this.options.nodeEvent('FreeDiskSpaceFailed', message);
      throw new Error(message);
    }
  }

  /** Every unused image goes (the eviction manager's node-level reclaim for disk pressure). */
  async deleteUnusedImages(): Promise<void> {
    this.options.log('image GC: attempting to delete unused images');
    const freeTime = this.options.clock.now();
    await this.freeSpace(Infinity, freeTime, await this.imagesInEvictionOrder(freeTime));
  }

  /**
   * The kubelet's image GC loop: collect every IMAGE_GC_PERIOD_MS until `signal` aborts. A
   * failure is logged; only a second one in a row is an ImageGCFailed Event (the first may be
   * stats not ready yet). A high threshold of 100 turns the periodic collection off.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, log } = this.options;
    if (this.policy.highThresholdPercent === 100) {
      log('image GC: imageGCHighThresholdPercent is 100, periodic image garbage collection is off');
      return;
    }
    let failedBefore = false;
    do {
      try {
        await this.garbageCollect();
        failedBefore = false;
      } catch (err) {
        if (failedBefore) {
          log(`image garbage collection failed multiple times in a row: ${errorMessage(err)}`);
          this.options.nodeEvent('ImageGCFailed', errorMessage(err));
        } else {
          log(`image garbage collection failed once: ${errorMessage(err)}`);
        }
        failedBefore = true;
      }
    } while (await sleepUnlessAborted(clock, IMAGE_GC_PERIOD_MS, signal));
  }
}
