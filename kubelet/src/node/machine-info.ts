// What the node is, read from the machine (Kubernetes' cadvisor MachineInfo and nodestatus
// setters): CPUs, memory, the filesystem under the kubelet's root dir, the machine and boot IDs,
// kernel, OS image and architecture. Read once at start and again for each status update (a
// reboot changes the boot ID; a resize changes the rest).
import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, release, totalmem } from 'node:os';
import { goArch } from '@skiff/api';

export interface MachineInfo {
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly ephemeralStorageBytes: number;
  readonly machineID: string;
  readonly systemUUID: string;
  readonly bootID: string;
  readonly kernelVersion: string;
  readonly osImage: string;
  /** GOARCH spelling: amd64, arm64, … */
  readonly architecture: string;
  /** GOOS spelling: linux. */
  readonly operatingSystem: string;
}

/** The first line of a file, trimmed; '' if it cannot be read (containers lack some of them). */
async function firstLine(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n')[0]?.trim() ?? '';
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'ENOENT' ||
      (err as NodeJS.ErrnoException).code === 'EACCES'
    )
      return '';
    throw err;
  }
}

/** PRETTY_NAME of /etc/os-release, as Kubernetes reports osImage. */
export function osImageFrom(osRelease: string): string {
  const line = osRelease.split('\n').find((l) => l.startsWith('PRETTY_NAME='));
  if (line === undefined) return 'Linux';
  return line.slice('PRETTY_NAME='.length).replace(/^"(.*)"$/, '$1');
}

export async function readMachineInfo(rootDir: string): Promise<MachineInfo> {
  const fs = await statfs(rootDir);
  let osRelease = '';
  try {
    osRelease = await readFile('/etc/os-release', 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return {
    cpus: cpus().length,
    memoryBytes: totalmem(),
    ephemeralStorageBytes: fs.blocks * fs.bsize,
    machineID: await firstLine('/etc/machine-id'),
    systemUUID: (await firstLine('/sys/class/dmi/id/product_uuid')).toLowerCase(),
    bootID: await firstLine('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: osImageFrom(osRelease),
    architecture: goArch(arch()),
    operatingSystem: 'linux',
  };
}
