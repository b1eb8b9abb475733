// What the kubelet reads from a CRI runtime to measure usage (the eviction manager's per-pod
// stats and the image filesystem), as Kubernetes' CRI stats provider does: ListContainerStats
// and ImageFsInfo.
import type { ContainerStats__Output, FilesystemUsage__Output } from '@skiff/proto';

export interface StatsService {
  /** Stats of every container the runtime has (memory working set, writable layer …). */
  listContainerStats(): Promise<ContainerStats__Output[]>;
  /** The filesystems holding the runtime's images (mountpoint, bytes and inodes used). */
  imageFsInfo(): Promise<FilesystemUsage__Output[]>;
}
