// vitest wiring for ./etcd-process.ts: one real etcd per test file, started in beforeAll and
// destroyed in afterAll. Stores opened through the fixture get a unique key prefix, so every
// newStore() is empty even though they share one etcd (and therefore one revision counter).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Storage } from '../interface.js';
import { openEtcdStorage, type EtcdStorageOptions } from '../etcd/index.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';

export interface EtcdFixture {
  /** The running etcd; only valid inside tests and hooks (after beforeAll). */
  readonly etcd: EtcdProcess;
  /** A storage on this etcd under a fresh key prefix; closed automatically in afterAll. */
  newStore(options?: Partial<EtcdStorageOptions>): Promise<Storage>;
}

export function useEtcd(): EtcdFixture {
  let etcd: EtcdProcess | undefined;
  const opened: Storage[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
  });

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await etcd?.destroy();
  });

  const running = (): EtcdProcess => {
    if (!etcd) throw new Error('etcd fixture used outside a test (beforeAll has not run)');
    return etcd;
  };

  return {
    get etcd() {
      return running();
    },
    async newStore(options = {}) {
      const store = await openEtcdStorage({
        endpoints: [running().endpoint],
        prefix: `/skiff-test/${randomUUID()}/`,
        ...options,
      });
      opened.push(store);
      return store;
    },
  };
}
