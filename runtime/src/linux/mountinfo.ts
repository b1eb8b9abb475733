// The kernel's own mount table (/proc/self/mountinfo). Used to make mounting and unmounting
// idempotent — a runtime restarted after a crash finds its rootfs and /dev/shm mounts still there
// (mounts outlive the process that made them) and must neither stack a second one nor fail to
// unmount one that is already gone — and to see how a host path's mount propagates.
import { readFile } from 'node:fs/promises';

export interface MountInfoEntry {
  readonly mountPoint: string;
  /** The optional fields: "shared:N", "master:N", "propagate_from:N", "unbindable". */
  readonly optional: readonly string[];
}

/** The entries of a mountinfo text, in its order (a later mount at one point is on top). */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    const mountPoint = fields[4];
    if (mountPoint === undefined || separator < 6) continue;
    entries.push({
      mountPoint: unescapeMountPath(mountPoint),
      optional: fields.slice(6, separator),
    });
  }
  return entries;
}

export async function mountInfo(): Promise<MountInfoEntry[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
}

export async function mountPoints(): Promise<Set<string>> {
  return new Set((await mountInfo()).map((entry) => entry.mountPoint));
}

export async function isMountPoint(path: string): Promise<boolean> {
  return (await mountPoints()).has(path);
}

// mountinfo writes space, tab, newline and backslash in paths as octal escapes.
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}
