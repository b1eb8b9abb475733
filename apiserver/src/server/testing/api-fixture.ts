// Test fixture: a real apiserver on a real HTTP port over a real store, for each backend. Test
// files call `apiServerBackends()` at top level (it registers the etcd fixture's hooks) and run
// their cases with `describe.each(backends)`; `startApi()` inside a test gives a fresh, empty
// store and a server listening on a free port, both stopped after the test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Storage } from '../../storage/index.js';
import { openEmbeddedStorage } from '../../storage/embedded/index.js';
import { useEtcd } from '../../storage/testing/etcd-fixture.js';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../api-server.js';
import { ApiClient } from './api-client.js';

export interface Backend {
  readonly name: string;
  open(): Promise<Storage>;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export function apiServerBackends(): Backend[] {
  const etcd = useEtcd();
  return [
    {
      name: 'embedded',
      async open() {
        const dir = await mkdtemp(join(tmpdir(), 'skiff-apiserver-'));
        const store = await openEmbeddedStorage({
          dir,
          compactionIntervalMs: 0,
          warn: () => undefined,
        });
        cleanups.push(async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        });
        return store;
      },
    },
    { name: 'etcd', open: () => etcd.newStore() },
  ];
}

export interface RunningApi {
  readonly server: ApiServer;
  readonly storage: Storage;
  readonly client: ApiClient;
  readonly url: string;
}

export async function startApi(
  backend: Backend,
  options: Omit<ApiServerOptions, 'storage'> = {},
  storage?: Storage,
): Promise<RunningApi> {
  const store = storage ?? (await backend.open());
  const logged: string[] = [];
  const server = createApiServer({ log: (m) => logged.push(m), ...options, storage: store });
  await server.listen(0);
  cleanups.push(async () => {
    await server.close();
    // Unexpected errors are bugs: a test that caused one fails even if its assertions passed.
    if (logged.length > 0) throw new Error(`apiserver logged errors:\n${logged.join('\n')}`);
  });
  const url = server.url ?? '';
  return { server, storage: store, client: new ApiClient(url), url };
}
