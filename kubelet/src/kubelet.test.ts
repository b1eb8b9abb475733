// End to end: a real apiserver (embedded store), a real `skiff runtime` process running real
// containers, and the kubelet between them. A pod bound to the node runs, its status reaches the
// apiserver, and deleting it stops and removes it. Needs root (skipped with a warning outside CI).
import { pollUntil, realClock, type Pod } from '@skiff/api';
import { createApiServer } from '@skiff/apiserver';
import { openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kubelet } from './kubelet.js';
import { NODE_LEASE_NAMESPACE } from './node/node-lease.js';
import { POD_UID_LABEL } from './container/labels.js';
import {
  realRuntimeUnavailable,
  startSkiffRuntime,
  type SkiffRuntimeProcess,
} from './testing/skiff-runtime-process.js';

const why = realRuntimeUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (why !== undefined && !ci) console.warn(`skipping the kubelet end-to-end test: ${why}`);

const NODE = 'kubelet-e2e';
const BUSYBOX = 'skiff.local/busybox:latest';

/** Polls real I/O (a runtime, an apiserver) until `condition` holds or 60 s pass. */
async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
): Promise<T> {
  let last: T | undefined;
  const held = await pollUntil(
    async () => {
      last = await read();
      return ok(last);
    },
    200,
    { clock: realClock, signal: AbortSignal.timeout(60_000) },
  );
  if (!held) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
  return last as T;
}

describe.skipIf(why !== undefined && !ci)('kubelet with skiff runtime and an apiserver', () => {
  let runtime: SkiffRuntimeProcess;
  let client: Client;
  let kubelet: Kubelet;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (why !== undefined) throw new Error(`${why}; CI must provide it`);
    const store = await openTempEmbeddedStore({
      prefix: 'skiff-kubelet-e2e-',
      warn: () => undefined,
    });
    cleanups.push(() => store.dispose());
    const api = createApiServer({ storage: store.storage, log: () => undefined });
    await api.listen(0, '127.0.0.1');
    cleanups.push(() => api.close());
    client = createClient({ server: api.url ?? '', qps: Infinity });
    cleanups.push(() => Promise.resolve(client.close()));
    runtime = await startSkiffRuntime();
    cleanups.push(() => runtime.stop());
    kubelet = await Kubelet.start({
      client,
      cri: runtime.cri,
      nodeName: NODE,
      hostname: NODE,
      nodeLabels: { 'skiff.dev/e2e': 'true' },
      rootDir: runtime.dir,
      podLogsDirectory: `${runtime.dir}/pods`,
      address: '127.0.0.1',
      port: 0,
      clusterDNS: ['10.96.0.10'],
      resolvConf: '',
      log: () => undefined,
    });
    cleanups.push(() => kubelet.shutdown());
  }, 120_000);

  afterAll(async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  }, 120_000);

  it('registers a Ready node with its runtime, addresses and a lease', async () => {
    const node = await eventually(
      'node Ready',
      () => client.nodes().get(NODE),
      (n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    );
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': NODE,
      'kubernetes.io/os': 'linux',
      'skiff.dev/e2e': 'true',
    });
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^skiff:\/\//);
    expect(node.status?.addresses?.map((a) => a.type)).toEqual(['InternalIP', 'Hostname']);
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(kubelet.port);
    expect(Number(node.status?.capacity?.pods)).toBe(110);
    const lease = await eventually(
      'the node lease',
      () =>
        client
          .leases(NODE_LEASE_NAMESPACE)
          .get(NODE)
          .catch(() => undefined),
      (l) => l !== undefined,
    );
    expect(lease?.spec?.holderIdentity).toBe(NODE);
    expect(lease?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: NODE });
  });

  it('runs a pod bound to the node and reports its status, then deletes it', async () => {
    const created = await client.pods('default').create({
      metadata: { name: 'hello' },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', 'echo "$(GREETING) from $POD_NAME"; exec sleep 3600'],
            env: [
              { name: 'GREETING', value: 'hello' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          },
        ],
      },
    });
    const uid = created.metadata.uid ?? '';
    const running = await eventually(
      'pod Running and Ready',
      () => client.pods('default').get('hello'),
      (p: Pod) =>
        p.status?.phase === 'Running' &&
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    );
    const status = running.status ?? {};
    expect(status.podIP).toMatch(/^10\./);
    expect(status.podIPs).toEqual([{ ip: status.podIP }]);
    expect(status.hostIP).toBe(kubelet.internalIP);
    expect(status.startTime).toBeDefined();
    expect(status.qosClass).toBe('BestEffort');
    expect(status.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
    expect(status.containerStatuses?.[0]).toMatchObject({
      name: 'app',
      ready: true,
      started: true,
      restartCount: 0,
      image: BUSYBOX,
      state: { running: {} },
    });
    expect(status.containerStatuses?.[0]?.containerID).toMatch(/^skiff:\/\//);

    const base = `http://127.0.0.1:${kubelet.port}`;
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
    // The gauges follow the PLEG's relists, up to a second behind the status.
    const metrics = await eventually(
      'the running pod in /metrics',
      async () => (await fetch(`${base}/metrics`)).text(),
      (text) =>
        /^kubelet_running_pods 1$/m.test(text) &&
        /^kubelet_running_containers\{container_state="running"\} 1$/m.test(text),
    );
    expect(metrics).toMatch(/^kubelet_pod_start_duration_seconds_count 1$/m);
    expect(metrics).toMatch(/^kubelet_pleg_relist_duration_seconds_count \d+$/m);

    await client.pods('default').delete('hello');
    await eventually(
      'pod deleted from the API',
      () =>
        client
          .pods('default')
          .get('hello')
          .then(
            () => 'present',
            () => 'gone',
          ),
      (state) => state === 'gone',
    );
    await eventually(
      'pod removed from the runtime',
      () => runtime.cri.listPodSandbox({ label_selector: { [POD_UID_LABEL]: uid } }),
      (sandboxes) => sandboxes.length === 0,
    );
  }, 120_000);
});
