// Whether a host path can carry the mount propagation a container asks for. A bind mount can only
// receive the host's later mounts (rslave) from a source that is itself a shared or slave mount,
// and only pass the container's mounts back (rshared) from a shared one; the kernel would silently
// give a private mount otherwise. containerd refuses such a request at create, in these words,
// rather than let the pod believe its volume propagates.
import { realpath } from 'node:fs/promises';
import type { PropagationName } from './cri-values.js';
import { mountInfo, type MountInfoEntry } from './mountinfo.js';

/** The mount `path` lies on: the deepest mount point that is the path or one of its parents. */
export function mountOf(
  path: string,
  entries: readonly MountInfoEntry[],
): MountInfoEntry | undefined {
  let best: MountInfoEntry | undefined;
  for (const entry of entries) {
    const point = entry.mountPoint;
    const contains =
      point === '/' || path === point || path.startsWith(point.endsWith('/') ? point : `${point}/`);
    // The later of two mounts at one point is on top, and mountinfo lists it later.
    if (contains && (best === undefined || point.length >= best.mountPoint.length)) best = entry;
  }
  return best;
}

/** Why `mount` cannot carry `propagation`, or undefined if it can. */
export function propagationProblem(
  hostPath: string,
  mount: MountInfoEntry,
  propagation: PropagationName,
): string | undefined {
  const shared = mount.optional.some((o) => o.startsWith('shared:'));
  const slave = mount.optional.some((o) => o.startsWith('master:'));
  const where = `path ${JSON.stringify(hostPath)} is mounted on ${JSON.stringify(mount.mountPoint)}`;
  if (propagation === 'PROPAGATION_BIDIRECTIONAL' && !shared) {
    return `${where} but it is not a shared mount`;
  }
  if (propagation === 'PROPAGATION_HOST_TO_CONTAINER' && !shared && !slave) {
    return `${where} but it is not a shared or slave mount`;
  }
  return undefined;
}

/** Throws unless the host path's mount can carry the propagation (private needs nothing). */
export async function checkHostPropagation(
  hostPath: string,
  propagation: PropagationName,
): Promise<void> {
  if (propagation === 'PROPAGATION_PRIVATE') return;
  const resolved = await realpath(hostPath);
  const mount = mountOf(resolved, await mountInfo());
  if (mount === undefined) throw new Error(`could not find the mount of ${hostPath}`);
  const problem = propagationProblem(hostPath, mount, propagation);
  if (problem !== undefined) throw new Error(problem);
}
