// The node's eviction signals, read from the kernel the way cAdvisor's summary feeds Kubernetes'
// makeSignalObservations:
//
//   memory.available   = MemTotal − working set, the working set being the root memory cgroup's
//                        usage minus its inactive file cache (cgroup v1: memory.usage_in_bytes and
//                        total_inactive_file; cgroup v2 has no root memory.current, so
//                        MemTotal − MemFree and Inactive(file) from /proc/meminfo)
//   nodefs.*           = statfs of the kubelet's root dir (bytes available to users, free inodes)
//   imagefs.*          = statfs of the runtime's image filesystem (CRI ImageFsInfo's mountpoint),
//                        the nodefs figures when the runtime names none
//   pid.available      = min(pid_max, threads-max) − the threads that exist (/proc/loadavg)
import { readFile, statfs } from 'node:fs/promises';
import { errorMessage } from '@skiff/api';
import type { Observations, SignalObservation } from './decide.js';

export interface MemoryReading {
  readonly capacityBytes: number;
  readonly usageBytes: number;
  readonly inactiveFileBytes: number;
}

export interface FsReading {
  readonly availableBytes: number;
  readonly capacityBytes: number;
  readonly inodesFree: number;
  readonly inodes: number;
}

export interface PidReading {
  readonly maxPids: number;
  readonly running: number;
}

export interface NodeReadings {
  readonly memory?: MemoryReading;
  readonly nodefs?: FsReading;
  readonly imagefs?: FsReading;
  readonly pids?: PidReading;
}

/** The readings as eviction observations (pure). */
export function observationsFrom(readings: NodeReadings): Observations {
  const result: Partial<Record<keyof Observations, SignalObservation>> = {};
  const { memory, nodefs, imagefs, pids } = readings;
  if (memory !== undefined) {
    const workingSet = Math.max(0, memory.usageBytes - memory.inactiveFileBytes);
    result['memory.available'] = {
      available: Math.max(0, memory.capacityBytes - workingSet),
      capacity: memory.capacityBytes,
    };
  }
  for (const [prefix, fs] of [
    ['nodefs', nodefs],
    ['imagefs', imagefs ?? nodefs],
  ] as const) {
    if (fs === undefined) continue;
    result[`${prefix}.available`] = { available: fs.availableBytes, capacity: fs.capacityBytes };
    result[`${prefix}.inodesFree`] = { available: fs.inodesFree, capacity: fs.inodes };
  }
  if (pids !== undefined) {
    result['pid.available'] = { available: pids.maxPids - pids.running, capacity: pids.maxPids };
  }
  return result;
}

/** `Key:   123 kB` lines of /proc/meminfo, in bytes. */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([^:]+):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) {
      values.set(match[1], Number(match[2]) * (line.includes('kB') ? 1024 : 1));
    }
  }
  return values;
}

/** `key value` lines of a cgroup's memory.stat. */
export function parseMemoryStat(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key !== undefined && key !== '' && value !== undefined) values.set(key, Number(value));
  }
  return values;
}

/** The 4th field of /proc/loadavg, `running/total`: the total is the threads that exist. */
export function threadsFromLoadavg(text: string): number {
  const total = text.trim().split(/\s+/)[3]?.split('/')[1];
  const n = Number(total);
  if (total === undefined || !Number.isInteger(n))
    throw new Error(`unexpected /proc/loadavg: ${text}`);
  return n;
}

const CGROUP_V1_MEMORY = '/sys/fs/cgroup/memory';

export async function readMemory(): Promise<MemoryReading> {
  const meminfo = parseMeminfo(await readFile('/proc/meminfo', 'utf8'));
  const capacityBytes = meminfo.get('MemTotal') ?? 0;
  try {
    const usage = Number(
      (await readFile(`${CGROUP_V1_MEMORY}/memory.usage_in_bytes`, 'utf8')).trim(),
    );
    const stat = parseMemoryStat(await readFile(`${CGROUP_V1_MEMORY}/memory.stat`, 'utf8'));
    return {
      capacityBytes,
      usageBytes: usage,
      inactiveFileBytes: stat.get('total_inactive_file') ?? 0,
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // cgroup v2 (or no memory controller): the root's figures from /proc/meminfo.
  return {
    capacityBytes,
    usageBytes: capacityBytes - (meminfo.get('MemFree') ?? 0),
    inactiveFileBytes: meminfo.get('Inactive(file)') ?? 0,
  };
}

export async function readFs(path: string): Promise<FsReading> {
  const fs = await statfs(path);
  return {
    availableBytes: fs.bavail * fs.bsize,
    capacityBytes: fs.blocks * fs.bsize,
    inodesFree: fs.ffree,
    inodes: fs.files,
  };
}

async function readPids(): Promise<PidReading> {
  const pidMax = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8')).trim());
  const threadsMax = Number((await readFile('/proc/sys/kernel/threads-max', 'utf8')).trim());
  return {
    maxPids: Math.min(pidMax, threadsMax),
    running: threadsFromLoadavg(await readFile('/proc/loadavg', 'utf8')),
  };
}

export interface ReadNodeOptions {
  /** The kubelet's root dir: its filesystem is nodefs. */
  readonly rootDir: string;
  /** The runtime's image filesystem mountpoint, if it names one. */
  readonly imageFsMountpoint: () => Promise<string | undefined>;
  readonly log: (message: string) => void;
}

/** Reads every signal; one that cannot be read is logged and left out (it then meets nothing). */
export async function readNodeReadings(options: ReadNodeOptions): Promise<NodeReadings> {
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      options.log(`eviction manager: reading ${what}: ${errorMessage(err)}`);
      return undefined;
    }
  };
  const memory = await attempt('memory', readMemory);
  const nodefs = await attempt('nodefs', () => readFs(options.rootDir));
  const imageMount = await attempt('the image filesystem', options.imageFsMountpoint);
  const imagefs =
    imageMount === undefined || imageMount === ''
      ? undefined
      : await attempt('imagefs', () => readFs(imageMount));
  const pids = await attempt('pids', readPids);
  return {
    ...(memory !== undefined && { memory }),
    ...(nodefs !== undefined && { nodefs }),
    ...(imagefs !== undefined && { imagefs }),
    ...(pids !== undefined && { pids }),
  };
}
