// The informer's cache (client-go's Indexer over a ThreadSafeStore): every object by key, plus
// secondary indexes so a controller can ask "which pods are on node-1?" without scanning them
// all. An index is a function from an object to the values it is filed under; the store keeps,
// per index, value → set of keys, and updates every index on every write.
//
// Only the informer writes here (from its reflector); everyone else reads, through a Lister or
// `byIndex`. Objects are stored as given: the informer freezes them before they arrive.
import type { KubeObject } from '../rest/index.js';
import { keyFor } from './keys.js';

/** The values an object is filed under in one index; none means "not in this index". */
export type IndexFunc<T> = (obj: Readonly<T>) => readonly string[];

export type Indexers<T> = Readonly<Record<string, IndexFunc<T>>>;

/** Every Indexer has this index: objects by namespace (`''` for cluster-scoped objects). */
export const NAMESPACE_INDEX = 'namespace';

export function namespaceIndexFunc(obj: Readonly<KubeObject>): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** Files objects under the value of one label; objects without the label are left out. */
export function labelIndexFunc(labelKey: string): IndexFunc<KubeObject> {
  return (obj) => {
    const value = obj.metadata?.labels?.[labelKey];
    return value === undefined ? [] : [value];
  };
}

/** What a replace() changed, so the informer can tell its handlers. */
export interface ReplaceResult<T> {
  readonly added: readonly Readonly<T>[];
  readonly updated: readonly { readonly old: Readonly<T>; readonly new: Readonly<T> }[];
  /** The last state this store knew of each object that is no longer there. */
  readonly deleted: readonly Readonly<T>[];
}

export class Indexer<T extends KubeObject> {
  private readonly items = new Map<string, Readonly<T>>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → indexed value → keys of the objects filed under it. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc, ...indexers });
  }

  /** Adds indexes, filing the objects already stored; a name already in use is an error. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, indexFunc] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.indexers.set(name, indexFunc);
      this.indices.set(name, new Map());
      for (const [key, obj] of this.items) this.file(name, indexFunc, key, obj);
    }
  }

  hasIndexer(name: string): boolean {
    return this.indexers.has(name);
  }

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  list(): Readonly<T>[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** The objects filed under `value` in the index `indexName` (e.g. pods by node name). */
  byIndex(indexName: string, value: string): Readonly<T>[] {
    return this.indexKeys(indexName, value).flatMap((key) => this.items.get(key) ?? []);
  }

  /** The keys filed under `value` in the index `indexName`. */
  indexKeys(indexName: string, value: string): string[] {
    return [...(this.index(indexName).get(value) ?? [])];
  }

  /** Every value something is filed under in the index `indexName`. */
  listIndexFuncValues(indexName: string): string[] {
    return [...this.index(indexName).keys()];
  }

  /** Stores `obj` under its key (add or update alike); returns what was there before. */
  set(obj: Readonly<T>): Readonly<T> | undefined {
    const key = keyFor(obj);
    const old = this.items.get(key);
    if (old) this.unfileAll(key, old);
    this.items.set(key, obj);
    for (const [name, indexFunc] of this.indexers) this.file(name, indexFunc, key, obj);
    return old;
  }

  /** Removes the object at `key`; returns it, or undefined if there was none. */
  delete(key: string): Readonly<T> | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unfileAll(key, old);
    this.items.delete(key);
    return old;
  }

  /**
   * Makes the store hold exactly `items` (a fresh list from the server) and says what changed.
   * Objects whose resourceVersion did not change count as unchanged: a relist after a short
   * outage then tells handlers only what really happened while they were not watching.
   */
  replace(items: readonly Readonly<T>[]): ReplaceResult<T> {
    const added: Readonly<T>[] = [];
    const updated: { old: Readonly<T>; new: Readonly<T> }[] = [];
    const listed = new Set<string>();
    for (const obj of items) {
      const key = keyFor(obj);
      listed.add(key);
      const old = this.set(obj);
      if (!old) added.push(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
        updated.push({ old, new: obj });
      }
    }
    const deleted: Readonly<T>[] = [];
    for (const key of this.listKeys()) {
      if (listed.has(key)) continue;
      const old = this.delete(key);
      if (old) deleted.push(old);
    }
    return { added, updated, deleted };
  }

  private index(indexName: string): Map<string, Set<string>> {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no indexer named "${indexName}"`);
    return index;
  }

  private file(name: string, indexFunc: IndexFunc<T>, key: string, obj: Readonly<T>): void {
    const index = this.index(name);
    for (const value of new Set(indexFunc(obj))) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unfileAll(key: string, obj: Readonly<T>): void {
    for (const [name, indexFunc] of this.indexers) {
      const index = this.index(name);
      for (const value of indexFunc(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        // Empty sets would make listIndexFuncValues report values nothing is filed under.
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
