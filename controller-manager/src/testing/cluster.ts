// A real apiserver on a temporary embedded store and a controller-manager against it, for the
// integration tests: no kubelets, no scheduler — a test that needs readiness writes pod status
// itself, as a kubelet would.
import { createApiServer } from '@skiff/apiserver';
import { openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { createClient, RestClient, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import { defaultOptions, type ControllerManagerOptions } from '../app/options.js';
import { startControllerManager, type ControllerManagerRun } from '../app/controller-manager.js';

export interface ApiServerFixture {
  /** The test's own client, unthrottled. */
  readonly client: Client;
  readonly url: string;
}

export async function startApiServer(): Promise<ApiServerFixture> {
  const store = await openTempEmbeddedStore({ prefix: 'skiff-cm-', warn: () => undefined });
  const api = createApiServer({ storage: store.storage, log: () => undefined });
  await api.listen(0);
  const url = api.url ?? '';
  const client = createClient({ server: url, qps: Infinity });
  onTestFinished(async () => {
    client.close();
    await api.close();
    await store.dispose();
  });
  return { client, url };
}

/** Starts a controller-manager (its own client, Kubernetes' default qps) until the test ends. */
export async function startControllerManagerFor(
  api: ApiServerFixture,
  options: Partial<ControllerManagerOptions> = {},
): Promise<ControllerManagerRun> {
  const stop = new AbortController();
  const client = createClient({ server: api.url, qps: options.kubeApiQps ?? 200, burst: 400 });
  const discovery = new RestClient({ server: api.url, qps: Infinity });
  const run = await startControllerManager(
    { ...defaultOptions, leaderElect: false, port: 0, bindAddress: '127.0.0.1', ...options },
    stop.signal,
    { client, discovery, registry: new Registry(), log: () => undefined },
  );
  // Handled here so an early failure (leadership lost) is not an unhandled rejection; the
  // await below still fails the test with it.
  run.done.catch(() => undefined);
  onTestFinished(async () => {
    stop.abort();
    try {
      await run.done;
    } finally {
      client.close();
      discovery.close();
    }
  });
  return run;
}

/** Polls a condition that depends on real I/O (the controllers acting), never on time alone. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
