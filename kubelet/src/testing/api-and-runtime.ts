// What the kubelet's end-to-end tests stand on: a real apiserver on a temp embedded store, a
// client for it, and a real CRI runtime (a `skiff runtime` process or containerd). The kubelet
// itself stays each test's own, started with the options that test is about — except for the
// streaming tests, which share one loopback kubelet shape.
import { createApiServer } from '@skiff/apiserver';
import { openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { Kubelet } from '../kubelet.js';
import { startE2eRuntime, type E2eRuntime, type E2eRuntimeName } from './e2e-runtime.js';
import { e2eKubeletOptions } from './e2e-kubelet-options.js';

export interface ApiAndRuntime {
  readonly apiUrl: string;
  readonly client: Client;
  readonly runtime: E2eRuntime;
}

/**
 * Starts the three; each one's teardown is pushed onto `cleanups` as soon as it exists, so a
 * caller that runs them in reverse also tears down a half-started stack.
 */
export async function startApiAndRuntime(
  storePrefix: string,
  cleanups: (() => Promise<void>)[],
  runtimeName: E2eRuntimeName = 'skiff',
): Promise<ApiAndRuntime> {
  const store = await openTempEmbeddedStore({ prefix: storePrefix, warn: () => undefined });
  cleanups.push(() => store.dispose());
  const api = createApiServer({ storage: store.storage, log: () => undefined });
  await api.listen(0, '127.0.0.1');
  cleanups.push(() => api.close());
  const apiUrl = api.url ?? '';
  const client = createClient({ server: apiUrl, qps: Infinity });
  cleanups.push(() => Promise.resolve(client.close()));
  const runtime = await startE2eRuntime(runtimeName);
  cleanups.push(() => runtime.stop());
  return { apiUrl, client, runtime };
}

/**
 * A kubelet for the streaming e2e tests: it listens on loopback, where the apiserver reaches it
 * through the node's InternalIP, so kubectl exec/attach/port-forward travel the real path.
 */
export async function startLoopbackKubelet(
  stack: Pick<ApiAndRuntime, 'client' | 'runtime'>,
  nodeName: string,
  cleanups: (() => Promise<void>)[],
): Promise<Kubelet> {
  const { client, runtime } = stack;
  const kubelet = await Kubelet.start({
    ...e2eKubeletOptions(client, runtime, nodeName),
    clusterDNS: ['10.96.0.10'],
  });
  cleanups.push(() => kubelet.shutdown());
  return kubelet;
}
