import { FakeClock } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/index.js';
import { openTempEmbeddedStore } from '../storage/testing/temp-embedded-store.js';
import { nodePortRange } from './service-ranges.js';
import { RangeFullError, StorageAllocator } from './storage-allocator.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function store(): Promise<Storage> {
  const temp = await openTempEmbeddedStore({ prefix: 'skiff-alloc-', warn: () => undefined });
  cleanups.push(() => temp.dispose());
  return temp.storage;
}

const owner = (id: string): { owner: string; ownerName: string } => ({
  owner: id,
  ownerName: `ns/${id}`,
});

describe('StorageAllocator', () => {
  it('hands out every value of a range exactly once under concurrency, then reports it full', async () => {
    const allocator = new StorageAllocator(
      await store(),
      'ports/',
      nodePortRange(30000, 30019),
      new FakeClock(),
    );
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, i) => allocator.allocateNext(owner(`o${i}`))),
    );
    expect(new Set(values).size).toBe(20);
    await expect(allocator.allocateNext(owner('late'))).rejects.toBeInstanceOf(RangeFullError);
  });

  it('allocates a requested value once and says why it cannot', async () => {
    const allocator = new StorageAllocator(
      await store(),
      'ports/',
      nodePortRange(30000, 30010),
      new FakeClock(),
    );
    expect(await allocator.allocate('30005', owner('a'))).toBe('allocated');
    expect(await allocator.allocate('30005', owner('b'))).toBe('taken');
    expect(await allocator.allocate('80', owner('b'))).toBe('out-of-range');
  });

  it('releases only for the owner that holds the value', async () => {
    const allocator = new StorageAllocator(
      await store(),
      'ports/',
      nodePortRange(30000, 30010),
      new FakeClock(),
    );
    await allocator.allocate('30001', owner('a'));
    await allocator.release('30001', 'b');
    expect((await allocator.holder('30001'))?.owner).toBe('a');
    await allocator.release('30001', 'a');
    expect(await allocator.holder('30001')).toBeUndefined();
  });

  it('repairs allocations nobody holds once they are older than the grace period', async () => {
    const clock = new FakeClock();
    const allocator = new StorageAllocator(
      await store(),
      'ports/',
      nodePortRange(30000, 30010),
      clock,
    );
    await allocator.allocate('30001', owner('kept'));
    await allocator.allocate('30002', owner('orphan'));
    expect(await allocator.repair((r) => r.owner === 'kept', 60_000)).toEqual([]);
    await clock.advance(61_000);
    expect(await allocator.repair((r) => r.owner === 'kept', 60_000)).toEqual(['30002']);
    expect((await allocator.list()).map(([v]) => v)).toEqual(['30001']);
  });
});
