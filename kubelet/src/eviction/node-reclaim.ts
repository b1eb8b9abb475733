// What the kubelet frees on the node itself before it evicts a pod for disk pressure
// (buildSignalToNodeReclaimFuncs): dead containers first, then unused images. With the images on
// a filesystem of their own, only imagefs pressure reclaims them — nodefs then holds logs and
// volumes, which only evicting pods frees; with one shared filesystem every disk signal does.
// Memory and PIDs have nothing node-level to reclaim.
import type { Signal } from './thresholds.js';

export type NodeReclaimFunc = () => Promise<void>;

export interface NodeReclaimers {
  /** The container GC's DeleteAllUnusedContainers. */
  readonly deleteAllUnusedContainers: NodeReclaimFunc;
  /** The image GC's DeleteUnusedImages. */
  readonly deleteUnusedImages: NodeReclaimFunc;
}

export function signalToNodeReclaimFuncs(
  reclaimers: NodeReclaimers,
  dedicatedImageFs: boolean,
): Partial<Record<Signal, readonly NodeReclaimFunc[]>> {
  const both = [reclaimers.deleteAllUnusedContainers, reclaimers.deleteUnusedImages];
  return {
    'nodefs.available': dedicatedImageFs ? [] : both,
    'nodefs.inodesFree': dedicatedImageFs ? [] : both,
    'imagefs.available': both,
    'imagefs.inodesFree': both,
  };
}
