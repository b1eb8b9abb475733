// An embedded store in a fresh temporary directory, for tests and benchmarks in any package.
// Periodic compaction is off by default so revisions move only when the caller writes or compacts.
// Free of vitest on purpose: the caller decides when to dispose (a test hook, a `finally`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openEmbeddedStorage,
  type EmbeddedStorage,
  type EmbeddedStorageOptions,
} from '../embedded/index.js';

export interface TempEmbeddedStoreOptions extends Partial<Omit<EmbeddedStorageOptions, 'dir'>> {
  /** Start of the directory's name under the OS temp dir, e.g. `skiff-informers-`. */
  readonly prefix: string;
}

export interface TempEmbeddedStore {
  readonly storage: EmbeddedStorage;
  readonly dir: string;
  /** Closes the store, then removes its directory. */
  dispose(): Promise<void>;
}

export async function openTempEmbeddedStore(
  options: TempEmbeddedStoreOptions,
): Promise<TempEmbeddedStore> {
  const { prefix, ...storageOptions } = options;
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const storage = await openEmbeddedStorage({ compactionIntervalMs: 0, ...storageOptions, dir });
  return {
    storage,
    dir,
    dispose: async () => {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
