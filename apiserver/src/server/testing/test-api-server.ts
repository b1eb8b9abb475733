// A real skiff apiserver on a temporary embedded store, listening on a free loopback port: what
// every package's integration tests run against (controllers, scheduler, kubelet, docs). Free of
// vitest like the rest of this entry: the caller registers `close` with its own test hook.
import type { ApiServerOptions } from '../api-server.js';
import { createApiServer } from '../api-server.js';
import type { Storage } from '../../storage/index.js';
import { openTempEmbeddedStore } from '../../storage/testing/temp-embedded-store.js';

export interface TestApiServerOptions extends Omit<ApiServerOptions, 'storage'> {
  /** Start of the store directory's name under the OS temp dir (`skiff-scheduler-`). */
  readonly prefix?: string;
  /** Puts something between the server and its store (e.g. an InterruptibleStorage). */
  readonly wrapStorage?: (storage: Storage) => Storage;
}

export interface TestApiServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The temp store's directory. */
  readonly dir: string;
  /** Stops the server, closes the store and removes its directory. */
  close(): Promise<void>;
}

export async function startTestApiServer(
  options: TestApiServerOptions = {},
): Promise<TestApiServer> {
  const { prefix = 'skiff-test-api-', wrapStorage, ...serverOptions } = options;
  const store = await openTempEmbeddedStore({ prefix, warn: () => undefined });
  const api = createApiServer({
    log: () => undefined,
    ...serverOptions,
    storage: wrapStorage ? wrapStorage(store.storage) : store.storage,
  });
  try {
    await api.listen(0);
  } catch (err) {
    await store.dispose();
    throw err;
  }
  return {
    url: api.url ?? '',
    dir: store.dir,
    close: async () => {
      await api.close();
      await store.dispose();
    },
  };
}
