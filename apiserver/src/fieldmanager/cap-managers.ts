// kube-apiserver keeps at most 10 Update entries in metadata.managedFields (its
// capManagersManager). Past that, the oldest are folded, one bucket per API version, into an
// Update entry of the manager "ancient-changes", so an object written by ever new managers (a
// User-Agent with a version in it, a controller per rollout) does not grow without bound.
// Apply entries are never folded: each applier must keep its own to apply again.
import type { ManagedEntry } from './managed-fields.js';
import { managerIdentifier } from './manager-identifier.js';

export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';

/** `entries` with no more than `max` Update entries; the rest are returned as they were. */
export function capUpdateManagers(
  entries: readonly ManagedEntry[],
  max = MAX_UPDATE_MANAGERS,
): ManagedEntry[] {
  const updaters = entries.filter((e) => e.operation === 'Update');
  if (updaters.length <= max) return [...entries];

  const byId = new Map(entries.map((e) => [managerIdentifier(e), e]));
  const oldestFirst = updaters
    .map((entry) => ({ id: managerIdentifier(entry), entry }))
    .sort((a, b) => seconds(a.entry) - seconds(b.entry) || compare(a.id, b.id));
  // The first (oldest) entry of a version stays until a second one of that version comes: then
  // the first becomes the bucket and the second joins it.
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (const { id, entry } of oldestFirst) {
    if (count <= max) break;
    const version = entry.apiVersion;
    const bucketId = managerIdentifier({
      manager: ANCIENT_CHANGES_MANAGER,
      operation: 'Update',
      apiVersion: version,
    });
    const first = firstOfVersion.get(version);
    // An earlier bucket is where the others go, never into itself (apimachinery would delete it
    // here, and its fields with it).
    if (first === undefined || id === bucketId) {
      if (first === undefined) firstOfVersion.set(version, id);
      continue;
    }
    let into = byId.get(bucketId);
    if (into === undefined) {
      into = byId.get(first);
      byId.delete(first);
    }
    byId.set(bucketId, {
      manager: ANCIENT_CHANGES_MANAGER,
      operation: 'Update',
      apiVersion: version,
      // The newest of what it holds: the entry just merged is never older than the bucket.
      time: entry.time,
      set: into === undefined ? entry.set : entry.set.union(into.set),
    });
    byId.delete(id);
    count--;
  }
  return [...byId.values()];
}

/** Whole seconds since the epoch, as Kubernetes compares the times (none: 0). */
function seconds(entry: ManagedEntry): number {
  const ms = entry.time === undefined ? NaN : Date.parse(entry.time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
