// A container's root filesystem: the image's unpacked layers stacked read-only under a writable
// upper directory of its own, with overlayfs. Layers are shared by every container of the image
// and never written; everything the container changes lands in its upper directory and goes
// away with it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mountFilesystem, unmountFilesystem } from './mount-calls.js';
import { isMountPoint } from './mountinfo.js';

export interface OverlayPaths {
  /** Where the merged view is mounted: the container's rootfs. */
  readonly merged: string;
  readonly upper: string;
  readonly work: string;
}

/** The overlay directories of a container whose state lives in `dir`. */
export function overlayPaths(dir: string): OverlayPaths {
  return { merged: join(dir, 'rootfs'), upper: join(dir, 'upper'), work: join(dir, 'work') };
}

// mount(2) takes its options in one page; beyond that the kernel truncates them.
const maxOptionsLength = 4000;

/**
 * Mounts `layers` (lowest first, as ImageStore.layersFor returns them) at `paths.merged`.
 * Idempotent: an existing mount there (from before a restart) is kept.
 */
export async function mountOverlay(layers: readonly string[], paths: OverlayPaths): Promise<void> {
  if (layers.length === 0) throw new Error('an image with no layers has no root filesystem');
  await Promise.all(
    [paths.merged, paths.upper, paths.work].map((d) => mkdir(d, { recursive: true })),
  );
  if (await isMountPoint(paths.merged)) return;
  // overlayfs lists lowerdirs top-down: the first one wins.
  const lower = [...layers].reverse().join(':');
  const options = `lowerdir=${lower},upperdir=${paths.upper},workdir=${paths.work}`;
  if (options.length > maxOptionsLength) {
    throw new Error(
      `the image has too many layers (${layers.length}) for one overlay mount's options (${options.length} bytes)`,
    );
  }
  if ([...layers, paths.upper, paths.work].some((p) => p.includes(',') || p.includes(':'))) {
    throw new Error('overlay paths must not contain "," or ":"');
  }
  await mountFilesystem({
    fstype: 'overlay',
    source: 'overlay',
    target: paths.merged,
    data: options,
  });
}

/** Unmounts the rootfs if it is mounted; a second call is harmless. */
export async function unmountOverlay(paths: OverlayPaths): Promise<void> {
  await unmountIfMounted(paths.merged);
}

/**
 * Unmounts `path` if it is a mount point. A mount still busy (a process of the container lingers
 * in it) is detached lazily: it disappears from the tree now and is freed when the last user
 * goes, so the state directory can be removed either way.
 */
export async function unmountIfMounted(path: string): Promise<void> {
  if (!(await isMountPoint(path))) return;
  await unmountFilesystem(path);
}
