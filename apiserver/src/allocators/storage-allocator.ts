// Allocates values from a range (service IPs, node ports) so that no two owners ever hold the
// same value, across concurrent requests and apiserver restarts, and with several apiservers on
// one store. Each allocated value is its own storage key, created with the store's atomic
// create (Kubernetes' newer IPAddress-object allocator works the same way): the store decides
// every race, and nothing has to be rebuilt in memory at start.
//
// A crash between allocating and writing the owning object leaves an orphaned key; repair()
// (run at apiserver start) releases keys whose owner does not hold them, after a grace period
// that protects creates still in flight on another apiserver.
import type { Clock } from '@skiff/api';
import { isStorageError, type Storage } from '../storage/index.js';

export interface AllocationRange {
  /** Offsets `first..last` (inclusive) exist; allocateNext never hands out `reserved` ones. */
  readonly first: number;
  readonly last: number;
  readonly reserved: ReadonlySet<number>;
  valueAt(offset: number): string;
  /** The offset of a value, or undefined when it is not in the range (or not a value at all). */
  offsetOf(value: string): number | undefined;
  /** `10.96.0.0/12`, `30000-32767`: how messages describe the range. */
  readonly description: string;
}

export interface AllocationRecord {
  /** The owner's metadata.uid: stable across renames and retries, unique across recreations. */
  readonly owner: string;
  /** `namespace/name`, for people reading the store. */
  readonly ownerName: string;
  readonly allocatedAt: number;
}

export type AllocateResult = 'allocated' | 'taken' | 'out-of-range';

export class RangeFullError extends Error {
  constructor(description: string) {
    super(`range ${description} is full`);
    this.name = 'RangeFullError';
  }
}

/** Random probes before falling back to a scan of what is allocated. */
const RANDOM_PROBES = 16;

export class StorageAllocator {
  constructor(
    private readonly storage: Storage,
    /** Key prefix, e.g. `serviceipallocations/`. */
    private readonly prefix: string,
    readonly range: AllocationRange,
    private readonly clock: Clock,
  ) {}

  async allocate(
    value: string,
    owner: Omit<AllocationRecord, 'allocatedAt'>,
  ): Promise<AllocateResult> {
    const offset = this.range.offsetOf(value);
    if (offset === undefined || offset < this.range.first || offset > this.range.last) {
      return 'out-of-range';
    }
    return (await this.tryCreate(this.range.valueAt(offset), owner)) ? 'allocated' : 'taken';
  }

  async allocateNext(owner: Omit<AllocationRecord, 'allocatedAt'>): Promise<string> {
    const { first, last, reserved } = this.range;
    const count = last - first + 1;
    for (let i = 0; i < RANDOM_PROBES; i++) {
      const offset = first + Math.floor(Math.random() * count);
      if (reserved.has(offset)) continue;
      const value = this.range.valueAt(offset);
      if (await this.tryCreate(value, owner)) return value;
    }
    // Mostly full: walk the free offsets from a random start; values taken meanwhile are skipped.
    const taken = new Set((await this.list()).map(([value]) => value));
    const start = Math.floor(Math.random() * count);
    for (let i = 0; i < count; i++) {
      const offset = first + ((start + i) % count);
      const value = this.range.valueAt(offset);
      if (reserved.has(offset) || taken.has(value)) continue;
      if (await this.tryCreate(value, owner)) return value;
    }
    throw new RangeFullError(this.range.description);
  }

  /** Releases `value` if `owner` holds it; a value re-allocated to someone else is left alone. */
  async release(value: string, owner: string): Promise<void> {
    const kv = await this.storage.get(this.prefix + value);
    if (!kv || parseRecord(kv.value)?.owner !== owner) return;
    try {
      await this.storage.delete(kv.key, { expectedModRevision: kv.modRevision });
    } catch (err) {
      // Gone or changed meanwhile: either way it is no longer this owner's to release.
      if (isStorageError(err, 'NotFound') || isStorageError(err, 'Conflict')) return;
      throw err;
    }
  }

  async holder(value: string): Promise<AllocationRecord | undefined> {
    const kv = await this.storage.get(this.prefix + value);
    return kv && parseRecord(kv.value);
  }

  async list(): Promise<[string, AllocationRecord | undefined][]> {
    const out: [string, AllocationRecord | undefined][] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.storage.list(this.prefix, { limit: 1000, startAfter });
      for (const kv of page.items)
        out.push([kv.key.slice(this.prefix.length), parseRecord(kv.value)]);
      const last = page.items.at(-1);
      if (!page.more || !last) return out;
      startAfter = last.key;
    }
  }

  /**
   * Releases values whose owner no longer holds them (`holds(owner, value)` says), ignoring
   * allocations younger than `graceMs`. Returns the values released.
   */
  async repair(
    holds: (record: AllocationRecord, value: string) => boolean,
    graceMs: number,
  ): Promise<string[]> {
    const released: string[] = [];
    for (const [value, record] of await this.list()) {
      if (record && (holds(record, value) || this.clock.now() - record.allocatedAt < graceMs))
        continue;
      const kv = await this.storage.get(this.prefix + value);
      if (!kv) continue;
      try {
        await this.storage.delete(kv.key, { expectedModRevision: kv.modRevision });
        released.push(value);
      } catch (err) {
        if (isStorageError(err, 'NotFound') || isStorageError(err, 'Conflict')) continue;
        throw err;
      }
    }
    return released;
  }

  private async tryCreate(
    value: string,
    owner: Omit<AllocationRecord, 'allocatedAt'>,
  ): Promise<boolean> {
    const record: AllocationRecord = { ...owner, allocatedAt: this.clock.now() };
    try {
      await this.storage.create(
        this.prefix + value,
        new TextEncoder().encode(JSON.stringify(record)),
      );
      return true;
    } catch (err) {
      if (isStorageError(err, 'KeyExists')) return false;
      throw err;
    }
  }
}

function parseRecord(bytes: Uint8Array): AllocationRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'owner' in parsed &&
      typeof parsed.owner === 'string' &&
      'allocatedAt' in parsed &&
      typeof parsed.allocatedAt === 'number'
    ) {
      const ownerName =
        'ownerName' in parsed && typeof parsed.ownerName === 'string' ? parsed.ownerName : '';
      return { owner: parsed.owner, ownerName, allocatedAt: parsed.allocatedAt };
    }
    return undefined;
  } catch (err) {
    // A record nobody can read holds its value forever otherwise; treat it as unowned so
    // repair() can reclaim it.
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
