// Listing containers for ListContainers and ListContainerStats. Each record is refreshed before it
// is matched, because a container's state (and so whether it is listed) changes on its own when
// its process ends; the id prefix is checked first so that a filter by id refreshes one record,
// not all of them.
import type { ContainerFilter, Container__Output } from '@skiff/proto';
import type { ContainerRecord } from './container-record.js';
import { containerSummary, criState } from './container-status.js';
import { isRuntimeError } from './errors.js';
import {
  matchesContainerState,
  matchesIdPrefix,
  matchesRecordFilter,
  type RecordFilter,
} from './filters.js';

/** The refreshed records of `ids` that `filter` matches, in the order of `ids`. */
export async function refreshedMatching(
  ids: Iterable<string>,
  refresh: (id: string) => Promise<ContainerRecord>,
  filter: RecordFilter,
): Promise<ContainerRecord[]> {
  const records: ContainerRecord[] = [];
  // A snapshot of the ids: a RemoveContainer running while we await may delete from the live map.
  for (const id of [...ids]) {
    if (!matchesIdPrefix(id, filter)) continue;
    let record;
    try {
      record = await refresh(id);
    } catch (err) {
      if (isRuntimeError(err, 'NotFound')) continue; // removed while we listed
      throw err;
    }
    if (matchesRecordFilter(record, filter)) records.push(record);
  }
  return records;
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
