// The kubectl binaries of given minor versions. `kubectl` on PATH may be a dispatcher that picks
// a binary by the server's reported version (which would hide a version's behaviour), so the
// versioned binaries beside it (`kubectl.1.33`) are called directly. Missing: undefined locally
// (the test skips), an error under CI=true, as findKubectl does.
import { accessSync, constants, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findKubectl } from '../../testing/kubectl.js';

export function findVersionedKubectl(
  minor: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const kubectl = findKubectl(env);
  const candidate = kubectl && join(dirname(realpathSync(kubectl)), `kubectl.${minor}`);
  try {
    if (candidate) {
      accessSync(candidate, constants.X_OK);
      return candidate;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (env.CI === 'true') throw new Error(`kubectl.${minor} is required under CI=true`);
  return undefined;
}
