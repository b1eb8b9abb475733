// Embedded stores in real temporary directories for the cache's tests, removed after each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStorage } from '../../storage/embedded/index.js';
import type { Storage } from '../../storage/interface.js';

/** A fresh embedded store (periodic compaction off) and how to dispose of it. */
export async function openTempEmbeddedStore(): Promise<{
  storage: Storage;
  dispose: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-watchcache-'));
  const storage = await openEmbeddedStorage({
    dir,
    compactionIntervalMs: 0,
    warn: (message) => console.warn(`embedded store: ${message}`),
  });
  return {
    storage,
    dispose: async () => {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
