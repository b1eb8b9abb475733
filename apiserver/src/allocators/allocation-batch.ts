// The values one write has taken, so that a failed or refused write gives them all back.
import type { StorageAllocator } from './storage-allocator.js';

export class AllocationBatch {
  private readonly taken: { allocator: StorageAllocator; value: string }[] = [];
  private readonly released: { allocator: StorageAllocator; value: string }[] = [];

  constructor(private readonly owner: string) {}

  record(allocator: StorageAllocator, value: string): void {
    this.taken.push({ allocator, value });
  }

  /** Values the old object held that the new one does not: released only once the write lands. */
  releaseOnCommit(allocator: StorageAllocator, value: string): void {
    this.released.push({ allocator, value });
  }

  async rollback(): Promise<void> {
    for (const { allocator, value } of this.taken.splice(0)) {
      await allocator.release(value, this.owner);
    }
  }

  async commit(): Promise<void> {
    for (const { allocator, value } of this.released.splice(0)) {
      await allocator.release(value, this.owner);
    }
  }
}
