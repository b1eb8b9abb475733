// Which low-level runtime to use. crun is preferred (small, fast, C); runc is the fallback.
// crun 1.x refuses "hybrid" cgroup hosts whose unified (v2) tree has controllers enabled (this
// project's CI VMs are such hosts: v1 hierarchies plus hugetlb on cgroup2), so on those the
// choice falls to runc, and the reason is kept for the runtime's status.
import { readFileSync, statfsSync } from 'node:fs';
import { findExecutable } from '../network/exec.js';

const CGROUP2_SUPER_MAGIC = 0x63677270;

export interface OciRuntimeChoice {
  readonly path: string;
  /** Why this one, when it is not the first choice. */
  readonly note?: string;
}

/**
 * `requested` is a name or path from the command line; undefined means "crun, else runc".
 * Throws with what to install when nothing usable exists.
 */
export function chooseOciRuntime(
  requested: string | undefined,
  searchPath: string,
): OciRuntimeChoice {
  if (requested !== undefined) {
    const path = findExecutable(requested, searchPath);
    if (path === undefined)
      throw new Error(`OCI runtime ${JSON.stringify(requested)} not found on PATH`);
    return { path };
  }
  const crun = findExecutable('crun', searchPath);
  const runc = findExecutable('runc', searchPath);
  const crunBlocker = crun === undefined ? 'crun is not installed' : hybridCgroupProblem();
  if (crun !== undefined && crunBlocker === undefined) return { path: crun };
  if (runc !== undefined) return { path: runc, note: `using runc: ${crunBlocker}` };
  if (crun !== undefined) return { path: crun, note: `crun may fail: ${crunBlocker}` };
  throw new Error('no OCI runtime: install crun or runc (Debian: apt-get install -y crun)');
}

/** Why crun cannot manage cgroups on this host, or undefined if it can. */
export function hybridCgroupProblem(): string | undefined {
  if (statfsSync('/sys/fs/cgroup').type === CGROUP2_SUPER_MAGIC) return undefined;
  let controllers: string;
  try {
    controllers = readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`reading the cgroup2 controllers: ${(err as Error).message}`, { cause: err });
  }
  if (controllers === '') return undefined;
  return `crun does not support hybrid cgroups with controllers on cgroup2 (here: ${controllers})`;
}
