// Listing containers for ListContainers and ListContainerStats. The kubelet lists every container
// of the node every second (its PLEG relist) and each pod's containers on a sync, so a list must
// cost what it returns, not what the node holds: records are matched on what never changes after
// create (id, sandbox, labels) first, and only the matching ones are refreshed — a container's
// state, and so whether the state filter lists it, changes on its own when its process ends.
import type { ContainerFilter, Container__Output } from '@skiff/proto';
import type { ContainerRecord } from './container-record.js';
import { containerSummary, criState } from './container-status.js';
import { isRuntimeError } from './errors.js';
import { matchesContainerState, matchesRecordFilter, type RecordFilter } from './filters.js';

/** The records that `filter` matches, each refreshed by `refresh`, in the order of `records`. */
export async function refreshedMatching(
  records: ReadonlyMap<string, ContainerRecord>,
  filter: RecordFilter,
  refresh: (id: string) => Promise<ContainerRecord>,
): Promise<ContainerRecord[]> {
  // A snapshot: a RemoveContainer running while we await may delete from the live map.
  const matching = [...records.values()].filter((r) => matchesRecordFilter(r, filter));
  const refreshed: ContainerRecord[] = [];
  for (const { id } of matching) {
    try {
      refreshed.push(await refresh(id));
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) continue; // removed while we listed
      throw err;
    }
  }
  return refreshed;
}

/** ListContainers' answer from the matching records: those in the state the filter asks for. */
export function containerSummaries(
  records: readonly ContainerRecord[],
  filter: ContainerFilter | null | undefined,
): Container__Output[] {
  const wanted = filter?.state?.state;
  return records
    .filter((r) => matchesContainerState(criState(r.phase), wanted))
    .map(containerSummary);
}
