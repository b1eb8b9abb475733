// Start-up for every owner of a RecordStore: the records that were saved come back into memory,
// and each directory a crashed creation left without a record is handed to `discard`, which
// knows what else (mounts, OCI state, a network namespace) such a creation may have left.
import type { RecordStore, StoredRecord } from './record-store.js';

/** Prepares `store`, fills `into` with its records by id and discards unfinished creations. */
export async function loadRecords<T extends StoredRecord>(
  store: RecordStore<T>,
  into: Map<string, T>,
  discard: (id: string) => Promise<void>,
): Promise<void> {
  await store.init();
  const { records, unfinished } = await store.loadAll();
  for (const record of records) into.set(record.id, record);
  for (const id of unfinished) await discard(id);
}
