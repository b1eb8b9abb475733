// Reading a container's cgroup: where its files are on this host (cgroup v2's one tree, or v1's
// tree per controller), and the counters CRI's stats and the tests need. Writing limits is the OCI
// runtime's job (it knows both versions); this file only reads, and removes the pod-level
// directories skiff itself asked for.
import { readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

export type CgroupVersion = 'v1' | 'v2';

interface Hierarchy {
  readonly mountPoint: string;
  /** v1 controllers bound to it (cpu, cpuacct, memory, …); empty for the v2 tree. */
  readonly controllers: readonly string[];
  readonly version: CgroupVersion;
}

export class CgroupLayout {
  private constructor(private readonly hierarchies: readonly Hierarchy[]) {}

  static async detect(): Promise<CgroupLayout> {
    const table = await readFile('/proc/self/mountinfo', 'utf8');
    const hierarchies: Hierarchy[] = [];
    for (const line of table.split('\n')) {
      const [left, right] = line.split(' - ');
      if (left === undefined || right === undefined) continue;
      const fields = left.split(' ');
      const [fsType, , superOptions = ''] = right.split(' ');
      const mountPoint = fields[4];
      // Only hierarchies mounted at their root: a bind of a sub-cgroup would shift every path.
      if (mountPoint === undefined || fields[3] !== '/') continue;
      if (fsType === 'cgroup2') hierarchies.push({ mountPoint, controllers: [], version: 'v2' });
      if (fsType === 'cgroup') {
        const controllers = superOptions
          .split(',')
          .filter((o) => !o.includes('=') && !['rw', 'ro'].includes(o));
        hierarchies.push({ mountPoint, controllers, version: 'v1' });
      }
    }
    return new CgroupLayout(hierarchies);
  }

  /** v2 only when the whole host is on the unified tree; a hybrid host is v1 for controllers. */
  get version(): CgroupVersion {
    return this.hierarchies.some((h) => h.version === 'v1') ? 'v1' : 'v2';
  }

  /** The directory of `cgroupPath` for `controller` (v1), or in the unified tree (v2). */
  dir(cgroupPath: string, controller: string): string | undefined {
    const hierarchy =
      this.version === 'v2'
        ? this.hierarchies.find((h) => h.version === 'v2')
        : this.hierarchies.find((h) => h.version === 'v1' && h.controllers.includes(controller));
    return hierarchy === undefined ? undefined : join(hierarchy.mountPoint, cgroupPath);
  }

  async stats(cgroupPath: string): Promise<CgroupStats> {
    return this.version === 'v2' ? this.statsV2(cgroupPath) : this.statsV1(cgroupPath);
  }

  /** Removes the (empty) directory of `cgroupPath` in every hierarchy; missing ones are fine. */
  async remove(cgroupPath: string): Promise<void> {
    for (const hierarchy of this.hierarchies) {
      try {
        await rmdir(join(hierarchy.mountPoint, cgroupPath));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new Error(`removing cgroup ${cgroupPath}: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  private async statsV1(path: string): Promise<CgroupStats> {
    const memoryDir = this.dir(path, 'memory');
    const cpuDir = this.dir(path, 'cpu');
    const cpuacctDir = this.dir(path, 'cpuacct');
    const memoryStat = keyValues(await readIfThere(memoryDir, 'memory.stat'));
    const usage = numberOrUndefined(await readIfThere(memoryDir, 'memory.usage_in_bytes'));
    const inactiveFile = memoryStat.get('total_inactive_file') ?? 0;
    const cpuStat = keyValues(await readIfThere(cpuDir, 'cpu.stat'));
    const oom = keyValues(await readIfThere(memoryDir, 'memory.oom_control'));
    return {
      cpuUsageNs: numberOrUndefined(await readIfThere(cpuacctDir, 'cpuacct.usage')),
      memoryUsageBytes: usage,
      memoryWorkingSetBytes: usage === undefined ? undefined : Math.max(0, usage - inactiveFile),
      memoryRssBytes: memoryStat.get('total_rss'),
      pageFaults: memoryStat.get('total_pgfault'),
      majorPageFaults: memoryStat.get('total_pgmajfault'),
      nrThrottled: cpuStat.get('nr_throttled'),
      oomKills: oom.get('oom_kill'),
      processCount: numberOrUndefined(await readIfThere(this.dir(path, 'pids'), 'pids.current')),
    };
  }

  private async statsV2(path: string): Promise<CgroupStats> {
    const dir = this.dir(path, '');
    const memoryStat = keyValues(await readIfThere(dir, 'memory.stat'));
    const cpuStat = keyValues(await readIfThere(dir, 'cpu.stat'));
    const events = keyValues(await readIfThere(dir, 'memory.events'));
    const usage = numberOrUndefined(await readIfThere(dir, 'memory.current'));
    const usageUsec = cpuStat.get('usage_usec');
    return {
      cpuUsageNs: usageUsec === undefined ? undefined : usageUsec * 1000,
      memoryUsageBytes: usage,
      memoryWorkingSetBytes:
        usage === undefined
          ? undefined
          : Math.max(0, usage - (memoryStat.get('inactive_file') ?? 0)),
      memoryRssBytes: memoryStat.get('anon'),
      pageFaults: memoryStat.get('pgfault'),
      majorPageFaults: memoryStat.get('pgmajfault'),
      nrThrottled: cpuStat.get('nr_throttled'),
      oomKills: events.get('oom_kill'),
      processCount: numberOrUndefined(await readIfThere(dir, 'pids.current')),
    };
  }
}

/** Counters of one cgroup; undefined where this host does not have the controller or file. */
export interface CgroupStats {
  readonly cpuUsageNs: number | undefined;
  readonly memoryUsageBytes: number | undefined;
  /** Usage minus inactive file cache: what the kubelet evicts and OOM-kills by. */
  readonly memoryWorkingSetBytes: number | undefined;
  readonly memoryRssBytes: number | undefined;
  readonly pageFaults: number | undefined;
  readonly majorPageFaults: number | undefined;
  readonly nrThrottled: number | undefined;
  readonly oomKills: number | undefined;
  /** Tasks in the cgroup and below it (the pids controller's pids.current). */
  readonly processCount: number | undefined;
}

async function readIfThere(dir: string | undefined, file: string): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (err) {
    // The cgroup goes away when the container is deleted; its counters then simply do not exist.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`reading ${join(dir, file)}: ${(err as Error).message}`, { cause: err });
  }
}

function keyValues(text: string | undefined): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key !== undefined && value !== undefined && /^[0-9]+$/.test(value))
      values.set(key, Number(value));
  }
  return values;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  return trimmed !== undefined && /^[0-9]+$/.test(trimmed) ? Number(trimmed) : undefined;
}
