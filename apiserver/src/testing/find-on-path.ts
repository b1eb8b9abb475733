// Finding a tool (etcd, kubectl) the way a shell would, without spawning one: tests and
// benchmarks need the path to run it, or a clear "not installed" to skip or fail with.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable `name` in the directories of `searchPath`, or undefined if none is. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(delimiter).filter((d) => d !== '')) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
  return undefined;
}

/** Not there, or not ours to run: keep looking, as a shell does. Anything else is a real fault. */
function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR';
}
