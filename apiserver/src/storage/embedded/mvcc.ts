// The in-memory multi-version key space. Every key keeps the versions written since the last
// compaction, oldest first; a deletion is a tombstone version. A read "at revision R" takes, per
// key, the newest version with revision ≤ R, which is why a reader at the committed revision
// never sees writes that are still waiting for their fsync (their revisions are higher), while
// compare-and-swap checks look at the newest version of all (see embedded-storage.ts).
import type { KeyValue } from '../interface.js';
import { compareKeys } from './byte-order.js';

/** One write to one key. `kv` is undefined for a tombstone (the key was deleted at `revision`). */
interface Version {
  readonly revision: number;
  readonly kv: KeyValue | undefined;
}

export interface RangeResult {
  readonly items: KeyValue[];
  readonly more: boolean;
}

export interface WriteResult {
  /** The new value, or for a delete the tombstone as watchers see it (empty value, version 0). */
  readonly kv: KeyValue;
  /** The value this write replaced; undefined for a create. */
  readonly prev: KeyValue | undefined;
}

const EMPTY = new Uint8Array(0);

export class MvccIndex {
  private readonly histories = new Map<string, Version[]>();
  /** Every key with a history, in byte order, except those still in `unsortedKeys`. */
  private sortedKeys: string[] = [];
  /**
   * Keys created since the last range read. Inserting each into the sorted array would cost
   * O(n) apiece (quadratic when replaying a big log); merging a sorted batch on demand is O(n).
   */
  private unsortedKeys: string[] = [];
  /** Keys with more than one version or a tombstone: the only ones compaction can shrink. */
  private readonly compactable = new Set<string>();

  /** The newest version of `key`, including writes not yet durable; undefined if absent. */
  latest(key: string): KeyValue | undefined {
    const versions = this.histories.get(key);
    return versions?.[versions.length - 1]?.kv;
  }

  /** Revision of the newest write to `key` (a put or a delete), 0 if there is none in history. */
  latestRevision(key: string): number {
    const versions = this.histories.get(key);
    return versions?.[versions.length - 1]?.revision ?? 0;
  }

  put(key: string, value: Uint8Array, revision: number): WriteResult {
    const prev = this.latest(key);
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : revision,
      modRevision: revision,
      version: prev ? prev.version + 1 : 1,
    };
    this.append(key, { revision, kv });
    return { kv, prev };
  }

  /** Records a tombstone; the caller has checked that the key exists. */
  delete(key: string, revision: number): WriteResult {
    const prev = this.latest(key);
    this.append(key, { revision, kv: undefined });
    return {
      kv: { key, value: EMPTY, createRevision: 0, modRevision: revision, version: 0 },
      prev,
    };
  }

  /** The key as of `revision`; undefined if absent (never written, or deleted) at that revision. */
  get(key: string, revision: number): KeyValue | undefined {
    const versions = this.histories.get(key);
    return versions ? visibleAt(versions, revision) : undefined;
  }

  /** Keys starting with `prefix` (strictly after `startAfter`) visible at `revision`, in byte order. */
  range(prefix: string, revision: number, startAfter?: string, limit?: number): RangeResult {
    const keys = this.keysInOrder();
    const from =
      startAfter !== undefined && compareKeys(startAfter, prefix) >= 0
        ? firstIndex(keys, (k) => compareKeys(k, startAfter) > 0)
        : firstIndex(keys, (k) => compareKeys(k, prefix) >= 0);
    const items: KeyValue[] = [];
    const max = limit && limit > 0 ? limit : Infinity;
    for (let i = from; i < keys.length; i++) {
      const key = keys[i];
      if (key === undefined || !key.startsWith(prefix)) break;
      const versions = this.histories.get(key);
      const kv = versions && visibleAt(versions, revision);
      if (!kv) continue;
      if (items.length === max) return { items, more: true };
      items.push(kv);
    }
    return { items, more: false };
  }

  /**
   * Drops the versions no read at `revision` or later can see, as etcd's compaction: per key,
   * everything older than its newest version ≤ revision, and that version too if it is a tombstone.
   */
  compact(revision: number): void {
    let removedKeys = false;
    for (const key of this.compactable) {
      const versions = this.histories.get(key);
      if (!versions) {
        this.compactable.delete(key);
        continue;
      }
      let keepFrom = lastIndexAtOrBefore(versions, revision);
      if (keepFrom < 0) continue;
      if (versions[keepFrom]?.kv === undefined) keepFrom++;
      if (keepFrom === 0) continue;
      const kept = versions.slice(keepFrom);
      if (kept.length === 0) {
        this.histories.delete(key);
        this.compactable.delete(key);
        removedKeys = true;
        continue;
      }
      this.histories.set(key, kept);
      if (kept.length === 1 && kept[0]?.kv !== undefined) this.compactable.delete(key);
    }
    if (removedKeys) {
      this.sortedKeys = this.keysInOrder().filter((k) => this.histories.has(k));
    }
  }

  /** Every key visible at `revision`, in byte order: the content of a snapshot. */
  entriesAt(revision: number): KeyValue[] {
    const out: KeyValue[] = [];
    for (const key of this.keysInOrder()) {
      const versions = this.histories.get(key);
      const kv = versions && visibleAt(versions, revision);
      if (kv) out.push(kv);
    }
    return out;
  }

  /** Restores one key from a snapshot, where it is the only version the store knows of. */
  restore(kv: KeyValue): void {
    if (this.histories.has(kv.key)) throw new Error(`snapshot holds key ${kv.key} twice`);
    this.histories.set(kv.key, [{ revision: kv.modRevision, kv }]);
    this.unsortedKeys.push(kv.key);
  }

  stats(): { keys: number; versions: number } {
    let versions = 0;
    for (const v of this.histories.values()) versions += v.length;
    return { keys: this.histories.size, versions };
  }

  private append(key: string, version: Version): void {
    const versions = this.histories.get(key);
    if (versions) {
      versions.push(version);
      this.compactable.add(key);
      return;
    }
    this.histories.set(key, [version]);
    this.unsortedKeys.push(key);
    // A first version that is a tombstone cannot happen (delete checks existence), so a new key
    // with a single live version is not compactable yet.
  }

  private keysInOrder(): string[] {
    if (this.unsortedKeys.length === 0) return this.sortedKeys;
    const added = this.unsortedKeys.sort(compareKeys);
    this.unsortedKeys = [];
    this.sortedKeys = mergeSorted(this.sortedKeys, added);
    return this.sortedKeys;
  }
}

function visibleAt(versions: readonly Version[], revision: number): KeyValue | undefined {
  const i = lastIndexAtOrBefore(versions, revision);
  return i < 0 ? undefined : versions[i]?.kv;
}

/** Index of the newest version with revision ≤ `revision`; -1 if all are newer. */
function lastIndexAtOrBefore(versions: readonly Version[], revision: number): number {
  // Most reads are at or near the latest revision, so scanning from the end is the fast path.
  let i = versions.length - 1;
  while (i >= 0 && (versions[i]?.revision ?? 0) > revision) i--;
  return i;
}

/** The first index whose key satisfies the monotone predicate `atOrAfter`. */
function firstIndex(keys: readonly string[], atOrAfter: (key: string) => boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = keys[mid];
    if (key !== undefined && atOrAfter(key)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (compareKeys(x, y) <= 0) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as string;
  while (j < b.length) out[k++] = b[j++] as string;
  return out;
}
