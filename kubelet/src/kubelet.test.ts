// End to end: a real apiserver (embedded store), a real CRI runtime running real containers —
// a `skiff runtime` process, then containerd 1.6 — and the kubelet between them. A pod bound to
// the node runs, its status reaches the apiserver, and deleting it stops and removes it. Every
// case runs on both runtimes. Needs root (skipped with a warning outside CI, never under CI).
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  pollUntil,
  realClock,
  type Container,
  type ContainerStatus,
  type Endpoints,
  type Pod,
  type PodSpec,
} from '@skiff/api';
import { findKubectl, kubectlAt } from '@skiff/apiserver/testing';
import type { Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kubelet } from './kubelet.js';
import { NODE_LEASE_NAMESPACE } from './node/node-lease.js';
import { POD_UID_LABEL } from './container/labels.js';
import {
  REGISTRY_BINARY,
  htpasswdLine,
  pushImage,
  startRegistry,
  writeTestImages,
} from '@skiff/runtime/testing';
import { startApiAndRuntime } from './testing/api-and-runtime.js';
import { startControlPlane } from './testing/control-plane.js';
import { startGrpcHealthServer } from './testing/grpc-health-server.js';
import { E2E_RUNTIMES, skipE2eRuntime, type E2eRuntime } from './testing/e2e-runtime.js';

// kubectl 1.31: 1.32+ speaks protobuf to the apiserver, which skiff is still learning.
const kubectlPath = findKubectl();
const kubectl131 = kubectlPath && join(dirname(realpathSync(kubectlPath)), 'kubectl.1.31');

const ci = process.env.CI === 'true' || process.env.CI === '1';
const haveRegistry = existsSync(REGISTRY_BINARY);

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

describe.each(E2E_RUNTIMES)('kubelet on %s with an apiserver', (runtimeName) => {
  const skipped = skipE2eRuntime(runtimeName, 'the kubelet end-to-end test');
  let runtime: E2eRuntime;
  let client: Client;
  let kubelet: Kubelet;
  let apiUrl = '';
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skipped) return;
    ({ apiUrl, client, runtime } = await startApiAndRuntime(
      'skiff-kubelet-e2e-',
      cleanups,
      runtimeName,
    ));
    kubelet = await startKubelet();
    cleanups.push(() => kubelet.shutdown());
  }, 120_000);

  const manifests = (): string => join(runtime.dir, 'manifests');

  async function startKubelet(): Promise<Kubelet> {
    await mkdir(manifests(), { recursive: true });
    return Kubelet.start({
      client,
      cri: runtime.cri,
      nodeName: NODE,
      hostname: NODE,
      // The apiserver reaches the kubelet (pods/log) at the node's InternalIP, so it is the
      // address the kubelet listens on.
      nodeIP: '127.0.0.1',
      nodeLabels: { 'skiff.dev/e2e': 'true' },
      rootDir: runtime.dir,
      podLogsDirectory: `${runtime.dir}/pods`,
      address: '127.0.0.1',
      port: 0,
      clusterDNS: ['10.96.0.10'],
      resolvConf: '',
      // Short back-offs so a crash loop shows in seconds; the doubling is the same.
      crashLoopBackoff: { baseMs: 1000, capMs: 4000, resetAfterMs: 600_000 },
      // Pods resync every second, so a ConfigMap change reaches its volume within the test.
      syncFrequencyMs: 1000,
      staticPodPath: manifests(),
      fileCheckFrequencyMs: 1000,
      log: () => undefined,
    });
  }

  /** Creates a pod bound to the node with one busybox container running `script`. */
  async function createPod(
    name: string,
    script: string,
    spec: Partial<PodSpec> = {},
    container: Partial<Container> = {},
  ): Promise<Pod> {
    return client.pods('default').create({
      metadata: { name },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', script],
            ...container,
          },
        ],
        ...spec,
      },
    });
  }

  async function deleteAndWaitGone(name: string, uid: string): Promise<void> {
    await client.pods('default').delete(name);
    await waitGone(name, uid);
  }

  /** Waits for pod `name` to leave the API and its UID's sandboxes the runtime. */
  async function waitGone(name: string, uid: string): Promise<void> {
    await eventually(
      `pod ${name} deleted from the API`,
      () =>
        client
          .pods('default')
          .get(name)
          .then(
            () => 'present',
            () => 'gone',
          ),
      (state) => state === 'gone',
    );
    await eventually(
      `pod ${name} removed from the runtime`,
      () => runtime.cri.listPodSandbox({ label_selector: { [POD_UID_LABEL]: uid } }),
      (sandboxes) => sandboxes.length === 0,
    );
  }

  const podNamed = (name: string) => () => client.pods('default').get(name);
  const app = (p: Pod): ContainerStatus | undefined => p.status?.containerStatuses?.[0];

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
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(
      new RegExp(`^${runtimeName}://`),
    );
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
    const created = await createPod(
      'hello',
      'echo "$(GREETING) from $POD_NAME"; exec sleep 3600',
      {},
      {
        env: [
          { name: 'GREETING', value: 'hello' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
      },
    );
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
    expect(status.containerStatuses?.[0]?.containerID).toMatch(new RegExp(`^${runtimeName}://`));

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

    const events = await eventually(
      'the pod events',
      () => client.events('default').list(),
      (list) => list.items.filter((e) => e.involvedObject.uid === uid).length >= 3,
    );
    const reasons = events.items.filter((e) => e.involvedObject.uid === uid).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulled', 'Created', 'Started']));

    await deleteAndWaitGone('hello', uid);
  }, 120_000);

  it('keeps running pods across a kubelet restart: same container, no restart', async () => {
    const created = await createPod('survivor', 'exec sleep 3600');
    const before = await eventually(
      'survivor running',
      podNamed('survivor'),
      (p) => app(p)?.state?.running !== undefined,
    );
    await kubelet.shutdown();
    kubelet = await startKubelet();
    // Give the new kubelet a few relists and syncs; nothing may change.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await client.pods('default').get('survivor');
    expect(app(after)?.containerID).toBe(app(before)?.containerID);
    expect(app(after)?.restartCount).toBe(0);
    expect(after.status?.phase).toBe('Running');
    const containers = await runtime.cri.listContainers({
      label_selector: { [POD_UID_LABEL]: created.metadata.uid ?? '' },
    });
    expect(containers).toHaveLength(1);
    await deleteAndWaitGone('survivor', created.metadata.uid ?? '');
  }, 120_000);

  it('restarts a crashing container with back-off, counting restarts (CrashLoopBackOff)', async () => {
    const created = await createPod('crasher', 'echo boom; exit 3');
    const looping = await eventually(
      'CrashLoopBackOff after two restarts',
      podNamed('crasher'),
      (p) =>
        (app(p)?.restartCount ?? 0) >= 2 && app(p)?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(looping.status?.phase).toBe('Running');
    expect(app(looping)?.state?.waiting?.message).toMatch(
      /^back-off \ds restarting failed container=app pod=crasher_default\(/,
    );
    expect(app(looping)?.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(looping.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    await deleteAndWaitGone('crasher', created.metadata.uid ?? '');
  }, 120_000);

  it('runs restartPolicy Never pods to completion: Succeeded or Failed, never restarted', async () => {
    const ok = await createPod('job-ok', 'exit 0', { restartPolicy: 'Never' });
    const bad = await createPod('job-bad', 'echo "disk full" > /dev/termination-log; exit 7', {
      restartPolicy: 'Never',
    });
    const succeeded = await eventually(
      'job-ok Succeeded',
      podNamed('job-ok'),
      (p) => p.status?.phase === 'Succeeded',
    );
    expect(app(succeeded)?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(succeeded.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
    const failed = await eventually(
      'job-bad Failed',
      podNamed('job-bad'),
      (p) => p.status?.phase === 'Failed',
    );
    expect(app(failed)?.state?.terminated).toMatchObject({
      exitCode: 7,
      reason: 'Error',
      message: 'disk full\n',
    });
    expect(app(failed)?.restartCount).toBe(0);
    await deleteAndWaitGone('job-ok', ok.metadata.uid ?? '');
    await deleteAndWaitGone('job-bad', bad.metadata.uid ?? '');
  }, 120_000);

  it('runs init containers in order before the app', async () => {
    const created = await createPod('with-init', 'exec sleep 3600', {
      initContainers: [
        {
          name: 'first',
          image: BUSYBOX,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'exit 0'],
        },
        {
          name: 'second',
          image: BUSYBOX,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'sleep 1'],
        },
      ],
    });
    const running = await eventually(
      'with-init Running',
      podNamed('with-init'),
      (p) => p.status?.phase === 'Running',
    );
    const init = running.status?.initContainerStatuses ?? [];
    expect(init.map((s) => [s.name, s.state?.terminated?.reason])).toEqual([
      ['first', 'Completed'],
      ['second', 'Completed'],
    ]);
    const firstDone = Date.parse(init[0]?.state?.terminated?.finishedAt ?? '');
    const secondStarted = Date.parse(init[1]?.state?.terminated?.startedAt ?? '');
    expect(secondStarted).toBeGreaterThanOrEqual(firstDone);
    expect(running.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    await deleteAndWaitGone('with-init', created.metadata.uid ?? '');
  }, 120_000);

  it('an HTTP readiness probe makes the pod Ready, and a failing one flips Ready back', async () => {
    const created = await createPod(
      'web',
      'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www',
      {},
      {
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
        livenessProbe: { exec: { command: ['test', '-f', '/www/index.html'] }, periodSeconds: 1 },
      },
    );
    const ready = await eventually('web Ready', podNamed('web'), (p) => app(p)?.ready === true);
    expect(ready.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    await deleteAndWaitGone('web', created.metadata.uid ?? '');

    // The test holds the switch: a file on a hostPath volume, so no timing decides the outcome.
    const control = join(runtime.dir, 'flip-control');
    await mkdir(control, { recursive: true });
    await writeFile(join(control, 'ready'), '');
    const flipping = await createPod(
      'flip',
      'exec sleep 3600',
      { volumes: [{ name: 'control', hostPath: { path: control, type: 'Directory' } }] },
      {
        volumeMounts: [{ name: 'control', mountPath: '/control' }],
        readinessProbe: {
          exec: { command: ['test', '-f', '/control/ready'] },
          periodSeconds: 1,
          failureThreshold: 1,
        },
      },
    );
    await eventually('flip Ready', podNamed('flip'), (p) => app(p)?.ready === true);
    await rm(join(control, 'ready'));
    const unready = await eventually(
      'flip not Ready',
      podNamed('flip'),
      (p) => app(p)?.ready === false,
    );
    expect(unready.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    expect(app(unready)?.restartCount).toBe(0);
    expect(unready.status?.phase).toBe('Running');
    await deleteAndWaitGone('flip', flipping.metadata.uid ?? '');
  }, 120_000);

  it('a failing liveness probe restarts the container, with Unhealthy and Killing events', async () => {
    const created = await createPod(
      'sick',
      'touch /tmp/healthy; sleep 2; rm /tmp/healthy; exec sleep 3600',
      {},
      {
        livenessProbe: {
          exec: { command: ['cat', '/tmp/healthy'] },
          periodSeconds: 1,
          failureThreshold: 1,
        },
      },
    );
    const uid = created.metadata.uid ?? '';
    const restarted = await eventually(
      'sick restarted',
      podNamed('sick'),
      (p) => (app(p)?.restartCount ?? 0) >= 1,
    );
    expect(app(restarted)?.lastState?.terminated).toBeDefined();
    const events = await eventually(
      'Unhealthy and Killing events',
      () => client.events('default').list(),
      (list) => {
        const reasons = list.items.filter((e) => e.involvedObject.uid === uid).map((e) => e.reason);
        return reasons.includes('Unhealthy') && reasons.includes('Killing');
      },
    );
    const mine = events.items.filter((e) => e.involvedObject.uid === uid);
    expect(mine.find((e) => e.reason === 'Unhealthy')?.message).toMatch(/^Liveness probe failed: /);
    expect(mine.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container app failed liveness probe, will be restarted',
    );
    await deleteAndWaitGone('sick', uid);
  }, 120_000);

  it('runs postStart and preStop hooks, preStop before the container is stopped', async () => {
    const calls: string[] = [];
    const hooks = createServer((req, res) => {
      calls.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const port = (hooks.address() as AddressInfo).port;
    try {
      const created = await createPod(
        'hooked',
        'exec sleep 3600',
        {},
        {
          lifecycle: {
            postStart: { httpGet: { host: '127.0.0.1', port, path: '/post-start' } },
            preStop: { httpGet: { host: '127.0.0.1', port, path: '/pre-stop' } },
          },
        },
      );
      await eventually(
        'hooked running',
        podNamed('hooked'),
        (p) => app(p)?.state?.running !== undefined,
      );
      expect(calls).toEqual(['/post-start']);
      await deleteAndWaitGone('hooked', created.metadata.uid ?? '');
      expect(calls).toEqual(['/post-start', '/pre-stop']);
    } finally {
      await new Promise<void>((resolve) => hooks.close(() => resolve()));
    }
  }, 120_000);

  it('fails a pod that outlives activeDeadlineSeconds with DeadlineExceeded', async () => {
    const created = await createPod('deadline', 'exec sleep 3600', { activeDeadlineSeconds: 2 });
    const failed = await eventually(
      'deadline Failed',
      podNamed('deadline'),
      (p) => p.status?.phase === 'Failed',
    );
    expect(failed.status).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect(app(failed)?.state?.terminated).toBeDefined();
    await deleteAndWaitGone('deadline', created.metadata.uid ?? '');
  }, 120_000);

  it('mounts emptyDir, hostPath, configMap and downwardAPI volumes, updating the ConfigMap in place', async () => {
    await client
      .configMaps('default')
      .create({ metadata: { name: 'settings' }, data: { greeting: 'v1' } });
    const hostDir = join(runtime.dir, 'host-volume');
    const created = await client.pods('default').create({
      metadata: { name: 'volumes', labels: { app: 'volumes' } },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 2,
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
          { name: 'config', configMap: { name: 'settings' } },
          {
            name: 'info',
            downwardAPI: {
              items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }],
            },
          },
        ],
        containers: [
          {
            name: 'writer',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', 'echo shared > /scratch/file; exec sleep 3600'],
            volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
          },
          {
            name: 'reader',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: [
              'sh',
              '-c',
              'while true; do cat /scratch/file > /out/shared; cat /etc/config/greeting > /out/greeting; cat /info/labels > /out/labels; sleep 0.2; done',
            ],
            volumeMounts: [
              { name: 'scratch', mountPath: '/scratch', readOnly: true },
              { name: 'host', mountPath: '/out', subPath: 'sub' },
              { name: 'config', mountPath: '/etc/config' },
              { name: 'info', mountPath: '/info' },
            ],
          },
        ],
      },
    });
    const read = (file: string) => () =>
      readFile(join(hostDir, 'sub', file), 'utf8').catch(() => '');
    expect(await eventually('emptyDir shared', read('shared'), (t) => t === 'shared\n')).toBe(
      'shared\n',
    );
    await eventually('configMap v1', read('greeting'), (t) => t === 'v1');
    // Written after the greeting in each round of the reader's loop: not there yet in its first.
    await eventually('downwardAPI labels', read('labels'), (t) => t === 'app="volumes"');
    await client
      .configMaps('default')
      .update({ metadata: { name: 'settings' }, data: { greeting: 'v2' } });
    await eventually('configMap updated in place to v2', read('greeting'), (t) => t === 'v2');
    const pod = await client.pods('default').get('volumes');
    expect(pod.status?.containerStatuses?.every((c) => c.restartCount === 0)).toBe(true);
    await deleteAndWaitGone('volumes', created.metadata.uid ?? '');
    await eventually(
      'the pod directory removed',
      () =>
        stat(join(runtime.dir, 'pods', created.metadata.uid ?? '')).then(
          () => 'present',
          () => 'gone',
        ),
      (state) => state === 'gone',
    );
  }, 120_000);

  it('reports a volume that cannot be set up as FailedMount and keeps the pod creating', async () => {
    const created = await createPod('unmountable', 'exec sleep 3600', {
      volumes: [
        {
          name: 'missing',
          hostPath: { path: join(runtime.dir, 'no-such-dir'), type: 'Directory' },
        },
      ],
    });
    const uid = created.metadata.uid ?? '';
    const events = await eventually(
      'FailedMount event',
      () => client.events('default').list(),
      (list) => list.items.some((e) => e.involvedObject.uid === uid && e.reason === 'FailedMount'),
    );
    expect(
      events.items.find((e) => e.involvedObject.uid === uid && e.reason === 'FailedMount')?.message,
    ).toBe(
      `MountVolume.SetUp failed for volume "missing" : hostPath type check failed: ${join(runtime.dir, 'no-such-dir')} is not a directory`,
    );
    const pod = await client.pods('default').get('unmountable');
    expect(pod.status?.phase ?? 'Pending').toBe('Pending');
    await deleteAndWaitGone('unmountable', uid);
  }, 120_000);

  it('runs a sidecar init container beside the app and stops it when a Never pod completes', async () => {
    const control = join(runtime.dir, 'sidecar-control');
    await mkdir(control, { recursive: true });
    const created = await createPod(
      'with-sidecar',
      'until [ -f /control/done ]; do sleep 0.2; done',
      {
        restartPolicy: 'Never',
        volumes: [{ name: 'control', hostPath: { path: control, type: 'Directory' } }],
        initContainers: [
          {
            name: 'proxy',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            restartPolicy: 'Always',
            command: ['sleep', '3600'],
          },
        ],
      },
      { volumeMounts: [{ name: 'control', mountPath: '/control' }] },
    );
    const running = await eventually(
      'app running beside the sidecar',
      podNamed('with-sidecar'),
      (p) =>
        app(p)?.state?.running !== undefined &&
        p.status?.initContainerStatuses?.[0]?.state?.running !== undefined,
    );
    expect(running.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    await writeFile(join(control, 'done'), '');
    const done = await eventually(
      'with-sidecar Succeeded',
      podNamed('with-sidecar'),
      (p) => p.status?.phase === 'Succeeded',
    );
    expect(app(done)?.state?.terminated?.exitCode).toBe(0);
    await eventually(
      'the sidecar stopped',
      () =>
        runtime.cri.listContainers({
          label_selector: { [POD_UID_LABEL]: created.metadata.uid ?? '' },
        }),
      (containers) => containers.every((c) => c.state === 'CONTAINER_EXITED'),
    );
    await deleteAndWaitGone('with-sidecar', created.metadata.uid ?? '');
  }, 120_000);

  it('gives a container that cannot start its waiting reason, and keeps the other one running', async () => {
    const created = await client.pods('default').create({
      metadata: { name: 'broken' },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: 'good',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', '3600'],
          },
          { name: 'no-image', image: '127.0.0.1:9/nothing:here', imagePullPolicy: 'IfNotPresent' },
          {
            name: 'no-config',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', '3600'],
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }],
          },
        ],
      },
    });
    const byName = (p: Pod, name: string) =>
      p.status?.containerStatuses?.find((c) => c.name === name);
    const pod = await eventually(
      'waiting reasons',
      podNamed('broken'),
      (p) =>
        byName(p, 'good')?.state?.running !== undefined &&
        byName(p, 'no-image')?.state?.waiting?.reason === 'ImagePullBackOff' &&
        byName(p, 'no-config')?.state?.waiting?.reason === 'CreateContainerConfigError',
    );
    expect(byName(pod, 'no-config')?.state?.waiting?.message).toBe('configmap "absent" not found');
    expect(byName(pod, 'no-image')?.state?.waiting?.message).toBe(
      'Back-off pulling image "127.0.0.1:9/nothing:here"',
    );
    expect(pod.status?.phase).toBe('Pending');
    await deleteAndWaitGone('broken', created.metadata.uid ?? '');
  }, 120_000);
  it.skipIf(kubectl131 === undefined)(
    'serves logs to real kubectl through the apiserver: all, --tail, --timestamps, -f and --previous',
    async () => {
      // Each run counts itself in an emptyDir (which outlives the container); the first fails
      // after three lines, the second keeps ticking.
      const script = [
        'n=$(($(cat /data/n 2>/dev/null || echo 0)+1)); echo $n > /data/n',
        'echo "run $n line 1"; echo "run $n line 2"; echo "run $n line 3" >&2',
        'if [ $n -lt 2 ]; then sleep 1; exit 1; fi',
        'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done',
      ].join('\n');
      const quiet = await createPod('quiet', 'exec sleep 3600');
      const created = await createPod(
        'talker',
        script,
        { volumes: [{ name: 'data', emptyDir: {} }] },
        { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      );
      await eventually(
        'talker restarted and running',
        podNamed('talker'),
        (p) => (app(p)?.restartCount ?? 0) >= 1 && app(p)?.state?.running !== undefined,
      );
      const home = await mkdtemp(join(tmpdir(), 'skiff-kubelet-logs-'));
      cleanups.push(() => rm(home, { recursive: true, force: true }));
      const binary = kubectl131 ?? 'kubectl';
      const kubectl = kubectlAt(binary, { server: apiUrl }, home);

      // stdout and stderr reach the log through separate pipes: their order between streams is
      // the runtime's, so lines are compared per stream.
      const previous = await kubectl('logs', 'talker', '--previous');
      expect(previous.split('\n').sort()).toEqual([
        '',
        'run 1 line 1',
        'run 1 line 2',
        'run 1 line 3',
      ]);
      const all = await eventually(
        'a few ticks',
        () => kubectl('logs', 'talker'),
        (out) => out.includes('tick 3\n'),
      );
      const stdout = all.split('\n').filter((l) => l !== 'run 2 line 3');
      expect(stdout.slice(0, 5)).toEqual([
        'run 2 line 1',
        'run 2 line 2',
        'tick 1',
        'tick 2',
        'tick 3',
      ]);
      expect(all).toContain('run 2 line 3\n');
      expect(await kubectl('logs', 'talker', '--tail=2', '-c', 'app')).toMatch(
        /^tick \d+\ntick \d+\n$/,
      );
      expect(await kubectl('logs', 'talker', '--tail=1', '--timestamps')).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick \d+\n$/,
      );
      expect(await kubectl('logs', 'talker', '--since=1h', '--limit-bytes=5')).toBe('run 2');

      // -f: the last line, then new ones as the container writes them, until kubectl is stopped.
      const follower = spawn(binary, ['--server', apiUrl, 'logs', '-f', '--tail=1', 'talker'], {
        env: { ...process.env, HOME: home, KUBECONFIG: join(home, 'no-kubeconfig') },
      });
      const followed = await new Promise<string[]>((resolve, reject) => {
        let out = '';
        follower.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const lines = out.split('\n').filter((l) => l !== '');
          if (lines.length >= 2) resolve(lines.slice(0, 2));
        });
        follower.once('error', reject);
        follower.once('exit', (code) => reject(new Error(`kubectl logs -f exited (${code})`)));
      });
      follower.kill();
      const ticks = followed.map((l) => Number(/^tick (\d+)$/.exec(l)?.[1]));
      expect(ticks[1]).toBe((ticks[0] ?? 0) + 1);

      await expect(kubectl('logs', 'nope')).rejects.toThrow(/pods "nope" not found/);
      // The kubelet's refusal, through the apiserver, in the kubelet's words.
      await eventually(
        'quiet running',
        podNamed('quiet'),
        (p) => app(p)?.state?.running !== undefined,
      );
      await expect(kubectl('logs', 'quiet', '--previous')).rejects.toThrow(
        /BadRequest.*previous terminated container "app" in pod "quiet" not found/,
      );
      await expect(kubectl('logs', 'talker', '-c', 'other')).rejects.toThrow(
        /container other is not valid for pod talker/,
      );
      const invalid = await fetch(
        `${apiUrl}/api/v1/namespaces/default/pods/talker/log?tailLines=-1`,
      );
      expect(invalid.status).toBe(422);
      expect(((await invalid.json()) as { message: string }).message).toContain(
        'tailLines: Invalid value: -1: must be greater than or equal to 0',
      );
      const podList = (await (await fetch(`http://127.0.0.1:${kubelet.port}/pods`)).json()) as {
        kind: string;
        items: Pod[];
      };
      expect(podList.kind).toBe('PodList');
      expect(podList.items.map((p) => p.metadata.name)).toContain('talker');

      await deleteAndWaitGone('talker', created.metadata.uid ?? '');
      await deleteAndWaitGone('quiet', quiet.metadata.uid ?? '');
    },
    120_000,
  );

  it('runs a static pod from its manifest, mirrors it in the API, and stops it when the file goes', async () => {
    const file = join(manifests(), 'static-web.yaml');
    await writeFile(
      file,
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: static-web}',
        'spec:',
        '  terminationGracePeriodSeconds: 1',
        '  containers:',
        `  - {name: app, image: "${BUSYBOX}", imagePullPolicy: IfNotPresent, command: [sleep, "3600"]}`,
        '',
      ].join('\n'),
    );
    const name = `static-web-${NODE}`;
    const mirror = await eventually(
      'a Running mirror pod',
      () =>
        client
          .pods('default')
          .get(name)
          .catch(() => undefined),
      (p) => p?.status?.phase === 'Running' && app(p)?.state?.running !== undefined,
    );
    const hash = mirror?.metadata.annotations?.['kubernetes.io/config.hash'] ?? '';
    expect(mirror?.metadata.annotations).toMatchObject({
      'kubernetes.io/config.mirror': hash,
      'kubernetes.io/config.source': 'file',
    });
    expect(mirror?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: NODE });
    // The runtime runs the static pod under its own UID (the hash), not the mirror's.
    const sandboxes = await runtime.cri.listPodSandbox({
      label_selector: { [POD_UID_LABEL]: hash },
    });
    expect(sandboxes).toHaveLength(1);

    // A deleted mirror comes back; the pod itself keeps running (restartCount 0).
    await client.pods('default').delete(name, { gracePeriodSeconds: 0 });
    const recreated = await eventually(
      'the mirror pod made again',
      () =>
        client
          .pods('default')
          .get(name)
          .catch(() => undefined),
      (p) => p !== undefined && p.metadata.uid !== mirror?.metadata.uid && app(p)?.ready === true,
    );
    expect(recreated && app(recreated)?.restartCount).toBe(0);

    // Removing the file stops the pod and deletes its mirror.
    await rm(file);
    await waitGone(name, hash);
  }, 120_000);

  it("a ReplicaSet of 5 becomes 5 ready pods, and a pod failing readiness leaves its Service's ready Endpoints", async () => {
    const controlPlane = await startControlPlane(client);
    try {
      // Each pod is Ready until the test drops a file named after it (its hostname) here.
      const control = join(runtime.dir, 'rs-control');
      await mkdir(control, { recursive: true });
      const labels = { app: 'rs-web' };
      await client.services('default').create({
        metadata: { name: 'rs-web' },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
      });
      await client.replicaSets('default').create({
        metadata: { name: 'rs-web' },
        spec: {
          replicas: 5,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 1,
              volumes: [{ name: 'control', hostPath: { path: control, type: 'Directory' } }],
              containers: [
                {
                  name: 'app',
                  image: BUSYBOX,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['sleep', '3600'],
                  volumeMounts: [{ name: 'control', mountPath: '/control' }],
                  readinessProbe: {
                    exec: { command: ['sh', '-c', 'test ! -f /control/unready-$(hostname)'] },
                    periodSeconds: 1,
                    timeoutSeconds: 5,
                    failureThreshold: 1,
                  },
                },
              ],
            },
          },
        },
      });
      const rsPods = () => client.pods('default').list({ labelSelector: 'app=rs-web' });
      const ready = await eventually(
        '5 ready pods on the node',
        rsPods,
        (list) =>
          list.items.length === 5 &&
          list.items.every((p) => p.spec?.nodeName === NODE && app(p)?.ready === true),
      );
      const readyIPs = (e: Endpoints) =>
        (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
      const notReadyIPs = (e: Endpoints) =>
        (e.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));
      const endpoints = () => client.endpoints('default').get('rs-web');
      const podIPs = ready.items.map((p) => p.status?.podIP ?? '').sort();
      expect(new Set(podIPs).size).toBe(5);
      await eventually('5 ready endpoints', endpoints, (e) => readyIPs(e).join() === podIPs.join());

      const [victim] = ready.items;
      const victimIP = victim?.status?.podIP ?? '';
      await writeFile(join(control, `unready-${victim?.metadata.name ?? ''}`), '');
      const after = await eventually(
        'the unready pod out of the ready endpoints',
        endpoints,
        (e) => readyIPs(e).length === 4 && notReadyIPs(e).includes(victimIP),
      );
      expect(readyIPs(after)).not.toContain(victimIP);
      const rs = await client.replicaSets('default').get('rs-web');
      expect(rs.status).toMatchObject({ replicas: 5 });

      // Scale to zero and wait for every pod to leave the node before the next case.
      await client
        .replicaSets('default')
        .update({ ...rs, spec: { ...(rs.spec ?? { selector: {} }), replicas: 0 } });
      await eventually('the ReplicaSet scaled to 0', rsPods, (list) => list.items.length === 0);
      for (const pod of ready.items)
        await waitGone(pod.metadata.name ?? '', pod.metadata.uid ?? '');
      await client.replicaSets('default').delete('rs-web');
      await client.services('default').delete('rs-web');
    } finally {
      await controlPlane.stop();
    }
  }, 120_000);

  it('reports a container the kernel kills at its memory limit as OOMKilled, exit 137', async () => {
    // dd allocates its 64 MiB block buffer and fills it: twice the limit (the cgroup's memory.max).
    const created = await createPod(
      'oom',
      'exec dd if=/dev/zero of=/dev/null bs=64M count=1',
      { restartPolicy: 'Never' },
      { resources: { limits: { memory: '32Mi' } } },
    );
    const failed = await eventually(
      'oom Failed',
      podNamed('oom'),
      (p) => p.status?.phase === 'Failed',
    );
    expect(app(failed)?.state?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    await deleteAndWaitGone('oom', created.metadata.uid ?? '');
  }, 120_000);

  it('a grpc readiness probe asks the pod for grpc.health.v1: SERVING is Ready, NOT_SERVING is not', async () => {
    // busybox serves no gRPC, so the pod shares the node's network (hostNetwork: its pod IP is
    // the node's, 127.0.0.1 here) and the health server on that address is the test's own.
    const health = await startGrpcHealthServer({ host: '127.0.0.1' });
    try {
      health.set('app', 'SERVING');
      const created = await createPod(
        'grpc-ready',
        'exec sleep 3600',
        { hostNetwork: true },
        {
          readinessProbe: {
            grpc: { port: health.port, service: 'app' },
            periodSeconds: 1,
            // Room for a loaded machine: only NOT_SERVING should fail this probe.
            timeoutSeconds: 5,
            failureThreshold: 1,
          },
        },
      );
      const uid = created.metadata.uid ?? '';
      const ready = await eventually(
        'grpc-ready Ready',
        podNamed('grpc-ready'),
        (p) => app(p)?.ready === true,
      );
      expect(ready.status?.podIP).toBe('127.0.0.1');
      expect(health.asked).toContain('app');
      health.set('app', 'NOT_SERVING');
      const unready = await eventually(
        'grpc-ready not Ready',
        podNamed('grpc-ready'),
        (p) => app(p)?.ready === false,
      );
      expect(unready.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'False',
        reason: 'ContainersNotReady',
      });
      expect(app(unready)?.restartCount).toBe(0);
      await eventually(
        'the Unhealthy event naming NOT_SERVING',
        () => client.events('default').list(),
        (list) =>
          list.items.some(
            (e) =>
              e.involvedObject.uid === uid &&
              e.reason === 'Unhealthy' &&
              e.message ===
                'Readiness probe failed: service unhealthy (responded with "NOT_SERVING")',
          ),
      );
      await deleteAndWaitGone('grpc-ready', uid);
    } finally {
      await health.stop();
    }
  }, 120_000);

  it.skipIf(!haveRegistry && !ci)(
    "pulls from a registry behind basic auth with the pod's imagePullSecrets, and fails with ErrImagePull without them",
    async () => {
      if (!haveRegistry) throw new Error(`${REGISTRY_BINARY} is missing; CI must provide it`);
      const dir = join(runtime.dir, 'registry');
      const registry = await startRegistry(dir, { htpasswd: htpasswdLine('alice', 's3cret') });
      try {
        const { registryImage } = await writeTestImages(dir);
        await pushImage(registry.host, 'secure/busybox', 'v1', [registryImage], {
          authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
        });
        const image = `${registry.host}/secure/busybox:v1`;
        const sleeper = { image, imagePullPolicy: 'IfNotPresent' as const };

        // A secret that does not exist: reported, and the anonymous pull is refused.
        const denied = await createPod(
          'private-denied',
          'exec sleep 3600',
          { imagePullSecrets: [{ name: 'absent' }] },
          sleeper,
        );
        const deniedUid = denied.metadata.uid ?? '';
        const deniedEvents = await eventually(
          'the Failed and FailedToRetrieveImagePullSecret events',
          () => client.events('default').list(),
          (list) => {
            const reasons = list.items
              .filter((e) => e.involvedObject.uid === deniedUid)
              .map((e) => e.reason);
            return (
              reasons.includes('Failed') && reasons.includes('FailedToRetrieveImagePullSecret')
            );
          },
        );
        const mine = deniedEvents.items.filter((e) => e.involvedObject.uid === deniedUid);
        expect(mine.find((e) => e.reason === 'FailedToRetrieveImagePullSecret')?.message).toBe(
          'Unable to retrieve some image pull secrets (absent); attempting to pull the image may not succeed.',
        );
        expect(
          mine.find((e) => e.reason === 'Failed' && e.message?.startsWith('Failed to pull'))
            ?.message,
        ).toMatch(new RegExp(`^Failed to pull image "${image}": rpc error: code = \\w+ desc = .*`));
        const waiting = await eventually(
          'private-denied waiting on its image',
          podNamed('private-denied'),
          (p) =>
            ['ErrImagePull', 'ImagePullBackOff'].includes(app(p)?.state?.waiting?.reason ?? ''),
        );
        expect(waiting.status?.phase).toBe('Pending');
        await deleteAndWaitGone('private-denied', deniedUid);

        // With the credentials in a dockerconfigjson secret, the same image pulls and runs.
        const auth = Buffer.from('alice:s3cret').toString('base64');
        await client.secrets('default').create({
          metadata: { name: 'regcred' },
          type: 'kubernetes.io/dockerconfigjson',
          data: {
            '.dockerconfigjson': Buffer.from(
              JSON.stringify({ auths: { [registry.host]: { auth } } }),
            ).toString('base64'),
          },
        });
        const allowed = await createPod(
          'private-allowed',
          'echo pulled with a secret; exec sleep 3600',
          { imagePullSecrets: [{ name: 'regcred' }] },
          sleeper,
        );
        const running = await eventually(
          'private-allowed running',
          podNamed('private-allowed'),
          (p) => app(p)?.state?.running !== undefined,
        );
        expect(app(running)?.image).toBe(image);
        expect(app(running)?.imageID).toMatch(/sha256:[0-9a-f]{64}$/);
        await deleteAndWaitGone('private-allowed', allowed.metadata.uid ?? '');
      } finally {
        await registry.stop();
      }
    },
    120_000,
  );
});
