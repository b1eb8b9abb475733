// ImageService: list, status, remove and filesystem info on images the tests imported.
import { expect, it } from 'vitest';
import { CLOCK_GRANULARITY_NS, imageCall, nowNs } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { SCRATCH_IMAGE } from '../test-images.js';

export function imageCases(target: () => CriTarget, scratchArchive: () => string): void {
  it('lists the imported busybox image with its tag, ID and size', async () => {
    const { images } = await imageCall(target(), 'ListImages', {});
    const busybox = images.find((i) => i.repo_tags.includes(target().busybox));
    expect(busybox?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Number(busybox?.size)).toBeGreaterThan(100_000);
  });

  it('gives the same image for its tag and for its ID in ImageStatus', async () => {
    const byTag = await imageCall(target(), 'ImageStatus', { image: { image: target().busybox } });
    const id = byTag.image?.id ?? '';
    expect(id).toMatch(/^sha256:/);
    const byId = await imageCall(target(), 'ImageStatus', { image: { image: id } });
    expect(byId.image?.repo_tags).toContain(target().busybox);
  });

  it('answers ImageStatus of a missing image with no image and no error', async () => {
    const { image } = await imageCall(target(), 'ImageStatus', {
      image: { image: 'skiff.local/not-here:1' },
    });
    expect(image).toBeNull();
  });

  it('includes the named image when ListImages is filtered', async () => {
    const { images } = await imageCall(target(), 'ListImages', {
      filter: { image: { image: target().busybox } },
    });
    // containerd 1.6 ignores the filter and lists everything; skiff lists only the match.
    expect(images.map((i) => i.repo_tags).flat()).toContain(target().busybox);
    if (target().name === 'skiff') expect(images).toHaveLength(1);
  });

  it('removes an image so it is gone from list and status; removing it again succeeds', async () => {
    await target().importImage(scratchArchive());
    const before = await imageCall(target(), 'ImageStatus', { image: { image: SCRATCH_IMAGE } });
    expect(before.image?.repo_tags).toContain(SCRATCH_IMAGE);
    await imageCall(target(), 'RemoveImage', { image: { image: SCRATCH_IMAGE } });
    const after = await imageCall(target(), 'ImageStatus', { image: { image: SCRATCH_IMAGE } });
    expect(after.image).toBeNull();
    const { images } = await imageCall(target(), 'ListImages', {});
    expect(images.flatMap((i) => i.repo_tags)).not.toContain(SCRATCH_IMAGE);
    await imageCall(target(), 'RemoveImage', { image: { image: SCRATCH_IMAGE } });
  });

  it('reports the image filesystem usage with a nanosecond timestamp', async () => {
    const { image_filesystems } = await imageCall(target(), 'ImageFsInfo', {});
    const answered = nowNs();
    const [fs] = image_filesystems;
    // The CRI promises only "nanoseconds at which the information were collected, > 0": collected
    // before the answer, at any time before. containerd measures in the background every few
    // seconds (and says 0 bytes until its first scan), skiff on each call. A lower bound near the
    // call would be timing, not the contract; a value in seconds or milliseconds would be this
    // far below any nanosecond time since 2001 (1e18 ns).
    const timestamp = BigInt(fs?.timestamp ?? '0');
    expect(timestamp).toBeGreaterThan(1_000_000_000_000_000_000n);
    expect(timestamp).toBeLessThanOrEqual(answered + CLOCK_GRANULARITY_NS);
    expect(fs?.fs_id?.mountpoint).not.toBe('');
    expect(fs?.used_bytes).not.toBeNull();
    if (target().name === 'skiff') expect(Number(fs?.used_bytes?.value)).toBeGreaterThan(0);
  });
}
