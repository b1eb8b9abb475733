// A pod's disk use beyond what the runtime measures (its writable layers come from CRI stats):
// each container's log files under the pod's log directory, and the pod's local ephemeral volumes
// — emptyDir on disk, configMap, downwardAPI (Kubernetes adds the deprecated gitRepo, which skiff's
// API does not have), never a tmpfs emptyDir (that is
// memory) nor a hostPath (the host's own files) — measured as du does: allocated blocks and
// inodes, symlinks not followed. Kubernetes gets the same figures from cAdvisor and its volume
// metrics; only disk-pressure ranking asks for them, so the walk runs only then.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod, Volume } from '@skiff/api';
import type { PodUsage } from './rank.js';

export interface DirUsage {
  readonly bytes: number;
  readonly inodes: number;
}

/** du of `path` (bytes allocated, inodes counted, the directory itself included); undefined if absent. */
export async function measureDir(path: string): Promise<DirUsage | undefined> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let bytes = stats.blocks * 512;
  let inodes = 1;
  if (stats.isDirectory()) {
    for (const name of await readdir(path)) {
      const inner = await measureDir(join(path, name));
      bytes += inner?.bytes ?? 0;
      inodes += inner?.inodes ?? 0;
    }
  }
  return { bytes, inodes };
}

/** IsLocalEphemeralVolume: what of the pod's volumes lives on the node's disk. */
export function isLocalEphemeralVolume(volume: Readonly<Volume>): boolean {
  return (
    (volume.emptyDir !== undefined && volume.emptyDir.medium !== 'Memory') ||
    volume.configMap !== undefined ||
    volume.downwardAPI !== undefined
  );
}

export interface PodDiskPaths {
  /** Where the kubelet keeps a volume of the pod. */
  readonly volumeDir: (uid: string, volume: Readonly<Volume>) => string;
  /** The pod's log directory (<podLogsDirectory>/<namespace>_<name>_<uid>). */
  readonly podLogDir: (pod: Readonly<Pod>) => string;
}

/** The pod's usage with its containers' log files and its local volumes added. */
export async function withDiskUsage(
  pod: Readonly<Pod>,
  usage: PodUsage | undefined,
  paths: PodDiskPaths,
): Promise<PodUsage> {
  const uid = pod.metadata.uid ?? '';
  const names = [
    ...(pod.spec.initContainers ?? []).map((c) => c.name),
    ...pod.spec.containers.map((c) => c.name),
  ];
  const measured = usage?.containers ?? [];
  const containers = await Promise.all(
    names.map(async (name) => {
      const logs = await measureDir(join(paths.podLogDir(pod), name));
      const runtime = measured.find((c) => c.name === name) ?? { name };
      return logs === undefined
        ? runtime
        : { ...runtime, logsBytes: logs.bytes, logsInodes: logs.inodes };
    }),
  );
  let volumeBytes = 0;
  let volumeInodes = 0;
  for (const volume of (pod.spec.volumes ?? []).filter(isLocalEphemeralVolume)) {
    const used = await measureDir(paths.volumeDir(uid, volume));
    volumeBytes += used?.bytes ?? 0;
    volumeInodes += used?.inodes ?? 0;
  }
  return { ...usage, containers, volumeBytes, volumeInodes };
}
