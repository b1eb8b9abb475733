// Per-pod usage from the runtime's CRI ContainerStats (Kubernetes' CRI stats provider): each
// container's memory working set and writable layer, grouped by the pod UID label the kubelet
// put on it. Exited containers report no usage, so they add nothing.
import type { ContainerStats__Output, UInt64Value__Output } from '@skiff/proto';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from '../container/labels.js';
import type { ContainerUsage, PodUsage } from './rank.js';

const number = (value: UInt64Value__Output | null | undefined): number | undefined =>
  value === null || value === undefined ? undefined : Number(value.value);

export function podUsageByUid(stats: readonly ContainerStats__Output[]): Map<string, PodUsage> {
  const byPod = new Map<string, ContainerUsage[]>();
  for (const s of stats) {
    const labels = s.attributes?.labels ?? {};
    const uid = labels[POD_UID_LABEL];
    if (uid === undefined) continue;
    const name = labels[CONTAINER_NAME_LABEL] ?? s.attributes?.metadata?.name ?? '';
    const memory = number(s.memory?.working_set_bytes);
    const disk = number(s.writable_layer?.used_bytes);
    const inodes = number(s.writable_layer?.inodes_used);
    const usage: ContainerUsage = {
      name,
      ...(memory !== undefined && { memoryWorkingSetBytes: memory }),
      ...(disk !== undefined && { rootfsBytes: disk }),
      ...(inodes !== undefined && { rootfsInodes: inodes }),
    };
    const list = byPod.get(uid) ?? [];
    list.push(usage);
    byPod.set(uid, list);
  }
  return new Map([...byPod].map(([uid, containers]) => [uid, { containers }]));
}
