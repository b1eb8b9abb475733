// End to end: how a control plane boots. The kubelet starts with a kubeconfig whose apiserver
// is not there yet; the static pod in --pod-manifest-path runs anyway (a real container through
// a real runtime: skiff runtime, then containerd), and once the apiserver appears on that
// address the kubelet registers its Node and makes the pod's mirror, with the running pod's
// status. Needs root (skipped with a warning outside CI).
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApiServer } from '@skiff/apiserver';
import { openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POD_NAME_LABEL } from '../container/labels.js';
import { Kubelet } from '../kubelet.js';
import {
  E2E_RUNTIMES,
  skipE2eRuntime,
  startE2eRuntime,
  type E2eRuntime,
} from '../testing/e2e-runtime.js';
import { e2eKubeletOptions } from '../testing/e2e-kubelet-options.js';
import { untilRead } from '../testing/until-read.js';

const NODE = 'bootstrap-e2e';
const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: kube-system
spec:
  containers:
    - name: web
      image: skiff.local/busybox:latest
      imagePullPolicy: IfNotPresent
      command: [sh, -c, 'sleep 3600']
`;

/** A port nothing listens on now (the apiserver takes it later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(E2E_RUNTIMES)('static pods before the apiserver exists, on %s', (runtimeName) => {
  const skipped = skipE2eRuntime(runtimeName, 'the static pod bootstrap test');
  let runtime: E2eRuntime;
  let client: Client;
  let kubelet: Kubelet;
  let port = 0;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skipped) return;
    runtime = await startE2eRuntime(runtimeName);
    cleanups.push(() => runtime.stop());
    port = await freePort();
    client = createClient({ server: `http://127.0.0.1:${port}`, qps: Infinity });
    cleanups.push(() => Promise.resolve(client.close()));
    const manifests = join(runtime.dir, 'manifests');
    await mkdir(manifests, { recursive: true });
    await writeFile(join(manifests, 'web.yaml'), MANIFEST);
    kubelet = await Kubelet.launch({
      ...e2eKubeletOptions(client, runtime, NODE),
      staticPodPath: manifests,
      fileCheckFrequencyMs: 1000,
      syncFrequencyMs: 1000,
    });
    cleanups.push(() => kubelet.shutdown());
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 120_000);

  it('runs the static pod with no apiserver, then registers and mirrors it once one appears', async () => {
    const running = await untilRead(
      'the static pod running in the runtime',
      () => runtime.cri.listContainers({ label_selector: { [POD_NAME_LABEL]: `web-${NODE}` } }),
      (list) => list.some((c) => c.state === 'CONTAINER_RUNNING'),
    );
    expect(running).toHaveLength(1);

    const store = await openTempEmbeddedStore({
      prefix: 'skiff-bootstrap-e2e-',
      warn: () => undefined,
    });
    cleanups.push(() => store.dispose());
    const api = createApiServer({ storage: store.storage, log: () => undefined });
    await api.listen(port, '127.0.0.1');
    cleanups.push(() => api.close());

    expect(await kubelet.apiConnected).toBe(true);
    expect((await client.nodes().get(NODE)).metadata.name).toBe(NODE);
    const mirror = await untilRead(
      'the mirror pod with the running status',
      () =>
        client
          .pods('kube-system')
          .list()
          .then((l) => l.items.find((p) => p.metadata.name === `web-${NODE}`)),
      (p) => p?.status?.phase === 'Running',
    );
    expect(mirror?.metadata.annotations?.['kubernetes.io/config.mirror']).toBe(
      mirror?.metadata.annotations?.['kubernetes.io/config.hash'],
    );
    expect(mirror?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: NODE });
    // The container the runtime ran before the apiserver existed is the one it still runs.
    const after = await runtime.cri.listContainers({
      label_selector: { [POD_NAME_LABEL]: `web-${NODE}` },
    });
    expect(after.map((c) => c.id)).toEqual(running.map((c) => c.id));
  }, 180_000);
});
