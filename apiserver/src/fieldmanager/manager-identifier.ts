// Which managedFields entries are the same manager: an Apply entry is one per manager whatever
// the version, an Update entry one per version (and each per subresource).
import type { ManagedEntry } from './managed-fields.js';

/**
 * An entry's key as apimachinery's BuildManagerIdentifier writes it (the entry's JSON without
 * time and fields, and without the version for an Apply): ties in time sort by it.
 */
export function managerIdentifier(
  entry: Pick<ManagedEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  return JSON.stringify({
    manager: entry.manager,
    operation: entry.operation,
    ...(entry.operation === 'Apply' ? {} : { apiVersion: entry.apiVersion }),
    ...(entry.subresource !== undefined ? { subresource: entry.subresource } : {}),
  });
}
