// Whether something is mounted at a path, from the kernel's own table. Used to make mounting and
// unmounting idempotent: a runtime restarted after a crash finds its rootfs and /dev/shm mounts
// still there (mounts outlive the process that made them) and must neither stack a second one
// nor fail to unmount one that is already gone.
import { readFile } from 'node:fs/promises';

export async function mountPoints(): Promise<Set<string>> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  const points = new Set<string>();
  for (const line of table.split('\n')) {
    const field = line.split(' ')[4];
    if (field !== undefined) points.add(unescapeMountPath(field));
  }
  return points;
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
