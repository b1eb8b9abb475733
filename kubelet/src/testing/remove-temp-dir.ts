// The last step of an e2e runtime's stop: its temp dir goes, unless something is still mounted
// inside — never rm -rf through a mount, which would delete inside a container's filesystem.
import { readFile, rm } from 'node:fs/promises';

export async function removeUnlessMounted(dir: string): Promise<void> {
  const mounted = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${dir}/`));
  if (mounted.length > 0) throw new Error(`still mounted, ${dir} kept: ${mounted.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
}
