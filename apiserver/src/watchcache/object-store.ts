// The cache's current state: for every key, the event that produced its current state (a list
// item counts as ADDED). Keeping the event rather than the bare object means a watch without a
// resourceVersion can announce every object as a shared ADDED record (CacheEvent.asAdded) instead
// of building one per watcher. Lists come out in key order, as etcd returns them; the sorted view
// is memoised until the next change, so lists of an idle resource cost no sorting.
import type { CacheEvent } from './cache-event.js';

export class ObjectStore<T> {
  private readonly byKey = new Map<string, CacheEvent<T>>();
  private readonly byNamespace = new Map<string, Map<string, CacheEvent<T>>>();
  private sortedAll: readonly CacheEvent<T>[] | undefined;
  private readonly sortedByNamespace = new Map<string, readonly CacheEvent<T>[]>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): CacheEvent<T> | undefined {
    return this.byKey.get(key);
  }

  set(entry: CacheEvent<T>): void {
    this.byKey.set(entry.key, entry);
    if (entry.namespace !== undefined) {
      let keys = this.byNamespace.get(entry.namespace);
      if (!keys) {
        keys = new Map();
        this.byNamespace.set(entry.namespace, keys);
      }
      keys.set(entry.key, entry);
    }
    this.changed(entry.namespace);
  }

  delete(key: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.byKey.delete(key);
    if (entry.namespace !== undefined) {
      const keys = this.byNamespace.get(entry.namespace);
      keys?.delete(key);
      if (keys?.size === 0) this.byNamespace.delete(entry.namespace);
    }
    this.changed(entry.namespace);
  }

  /** Replaces everything (after a list). */
  reset(entries: Iterable<CacheEvent<T>>): void {
    this.byKey.clear();
    this.byNamespace.clear();
    this.sortedAll = undefined;
    this.sortedByNamespace.clear();
    for (const entry of entries) this.set(entry);
  }

  /** The entries (of one namespace, or all), in key order. The array is shared: do not modify. */
  sorted(namespace?: string): readonly CacheEvent<T>[] {
    if (namespace === undefined) {
      this.sortedAll ??= sortByKey(this.byKey.values());
      return this.sortedAll;
    }
    let sorted = this.sortedByNamespace.get(namespace);
    if (!sorted) {
      sorted = sortByKey(this.byNamespace.get(namespace)?.values() ?? []);
      this.sortedByNamespace.set(namespace, sorted);
    }
    return sorted;
  }

  private changed(namespace: string | undefined): void {
    this.sortedAll = undefined;
    if (namespace !== undefined) this.sortedByNamespace.delete(namespace);
  }
}

function sortByKey<T>(entries: Iterable<CacheEvent<T>>): readonly CacheEvent<T>[] {
  // Plain code-unit comparison: the byte order etcd lists in, for the ASCII that keys are made of.
  return Array.from(entries).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
