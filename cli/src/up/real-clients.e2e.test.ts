// `skiff up` driven by the clients its users bring, each by its own binary or package: real
// kubectl 1.27 and 1.33 (the oldest and newest supported; 1.27 execs over SPDY, 1.33 over
// WebSocket) and @kubernetes/client-node, each creating, listing, watching, patching a pod, reading
// its log, executing in it and deleting it — and `skiff explain pod NAME` finding the scheduler
// `up` started with no flag (the kubeconfig's `skiff` extension). One cluster for the whole file
// (a start costs seconds of CI); up.test.ts covers the demo, the Service path, stop and resume
// with kubectl 1.31. Every pod is deleted before `up` stops (stopping would leave containers
// running); on failure the state dir and the components' logs are kept and named.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { Pod } from '@skiff/api';
import { eventually } from '@skiff/api/testing';
import { findVersionedKubectl, kubectlAt, type Kubectl } from '@skiff/apiserver/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSkiff, type SkiffProcess } from '../testing/skiff-process.js';
import {
  freePort,
  kubectl131,
  realClusterUnavailable,
  removeBridgeAndRules,
  removeIfUnmounted,
  unusedPodCidr,
  untilClusterReady,
} from '../testing/up-cluster.js';

const why = realClusterUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (why !== undefined && !ci) console.warn(`skipping the real clients end-to-end test: ${why}`);

const WAIT = { timeoutMs: 180_000, intervalMs: 500 };
const VERSIONS = ['1.27', '1.33'] as const;

/** A pod that greets once in its log, then stays Running until deleted. */
function podManifest(name: string, greeting: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { test: 'real-clients' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'main',
          image: 'skiff.local/busybox:latest',
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', `echo ${greeting}; exec sleep 3600`],
        },
      ],
    },
  };
}

describe.skipIf(why !== undefined && !ci)('skiff up for real kubectl and client-node', () => {
  let dir = '';
  let home = '';
  let bridge = '';
  let up: SkiffProcess | undefined;
  let kubeconfig = '';
  /** kubectl 1.31, for setup and cleanup only. */
  let kubectl: Kubectl = () => Promise.reject(new Error('no cluster'));
  let ready = false;
  let failed = false;

  beforeAll(async () => {
    if (why !== undefined) throw new Error(`${why}; CI must provide it`);
    dir = await mkdtemp(join(tmpdir(), 'skiff-clients-e2e-'));
    home = await mkdtemp(join(tmpdir(), 'skiff-clients-e2e-home-'));
    bridge = `skc${Math.random().toString(16).slice(2, 10)}`;
    kubeconfig = join(dir, 'kubeconfig');
    up = spawnSkiff([
      'up',
      ...['--state-dir', dir, '--port', String(await freePort())],
      ...['--bridge', bridge, '--pod-cidr', await unusedPodCidr()],
    ]);
    failed = true; // until the cluster is up
    await untilClusterReady(up);
    ready = true;
    kubectl = kubectlAt(kubectl131() ?? '', { kubeconfig }, home);
    failed = false;
  }, 300_000);

  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true;
  });

  afterAll(async () => {
    if (up === undefined) return;
    try {
      if (!ready) return;
      await eventually(
        'every pod gone',
        async () => {
          await kubectl('delete', 'pods', '--all', '--wait=false');
          return (await kubectl('get', 'pods', '--no-headers', '-o', 'name')).trim() === '';
        },
        WAIT,
      );
    } finally {
      up.kill('SIGTERM');
      const code = await up.exit;
      if (failed || code !== 0) {
        console.error(`skiff up (exit ${String(code)})\n${up.output()}\n${up.errors()}`);
        console.error(`real clients e2e failed: state dir and component logs kept in ${dir}/logs`);
      }
      await rm(home, { recursive: true, force: true });
      await removeBridgeAndRules(bridge);
      if (!failed && code === 0) await removeIfUnmounted(dir);
    }
  }, 300_000);

  describe.each(VERSIONS)('kubectl %s, its own binary', (version) => {
    it('creates, lists, watches, patches, reads the log of, execs in and deletes a pod', async () => {
      const binary = findVersionedKubectl(version);
      if (binary === undefined) throw new Error(`kubectl.${version} is not installed`);
      const k = kubectlAt(binary, { kubeconfig }, home);
      const name = `kubectl-${version.replace('.', '-')}`;
      const file = join(home, `${name}.json`);
      await writeFile(file, JSON.stringify(podManifest(name, `hello from ${name}`)));

      // The watch starts first, so it sees the pod from Pending to Running.
      const watch = spawn(
        binary,
        ['--kubeconfig', kubeconfig, 'get', 'pods', '-w', `--field-selector=metadata.name=${name}`],
        {
          env: { ...process.env, KUBECONFIG: join(home, 'none'), HOME: home },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let watched = '';
      watch.stdout.on('data', (d: Buffer) => (watched += d.toString()));
      watch.stderr.on('data', (d: Buffer) => (watched += d.toString()));
      try {
        expect(await k('create', '-f', file)).toBe(`pod/${name} created\n`);
        await k('wait', '--for=condition=Ready', `pod/${name}`, '--timeout=150s');
        expect(await k('get', 'pods', '-l', 'test=real-clients')).toMatch(
          new RegExp(`^NAME +READY +STATUS +RESTARTS +AGE\\n(.*\\n)*${name} +1/1 +Running +0 +`),
        );
        await eventually(
          'the watch to show the pod Running',
          () => new RegExp(`${name} +1/1 +Running`).test(watched),
          WAIT,
        ).catch((err: unknown) => {
          throw new Error(`kubectl get -w printed:\n${watched}`, { cause: err });
        });
        expect(watched).toMatch(/^NAME +READY +STATUS/);

        expect(
          await k('patch', 'pod', name, '-p', '{"metadata":{"labels":{"patched":"yes"}}}'),
        ).toBe(`pod/${name} patched\n`);
        expect(await k('get', 'pod', name, '-o', 'jsonpath={.metadata.labels.patched}')).toBe(
          'yes',
        );
        expect(await k('logs', name)).toBe(`hello from ${name}\n`);
        expect(await k('exec', name, '--', 'sh', '-c', 'echo $((6 * 7)) from $(hostname)')).toBe(
          `42 from ${name}\n`,
        );

        expect(await k('delete', 'pod', name)).toBe(`pod "${name}" deleted\n`);
        await expect(k('get', 'pod', name)).rejects.toThrow(`pods "${name}" not found`);
      } finally {
        watch.kill('SIGTERM');
      }
    }, 240_000);
  });

  it('@kubernetes/client-node creates, lists, watches (informer), patches, reads the log of, execs in and deletes a pod', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const namespace = 'default';
    const name = 'client-node';
    const informer = k8s.makeInformer(
      kc,
      `/api/v1/namespaces/${namespace}/pods`,
      () => core.listNamespacedPod({ namespace }),
      'test=real-clients',
    );
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name ?? ''}`));
    informer.on('update', (p) =>
      seen.push(`update ${p.metadata?.name ?? ''} ${p.status?.phase ?? ''}`),
    );
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name ?? ''}`));
    await informer.start();
    try {
      const created = await core.createNamespacedPod({
        namespace,
        body: podManifest(name, 'hello from client-node') as k8s.V1Pod,
      });
      expect(created.metadata?.uid).toBeTruthy();

      // The informer's own cache, fed by its watch, sees the pod come up.
      await eventually(
        'the informer to see the pod Running',
        () =>
          informer.list(namespace).find((p) => p.metadata?.name === name)?.status?.phase ===
          'Running',
        WAIT,
      );
      expect(seen).toContain(`add ${name}`);
      expect(seen).toContain(`update ${name} Running`);

      const listed = await core.listNamespacedPod({
        namespace,
        labelSelector: 'test=real-clients',
      });
      expect(listed.items.map((p) => p.metadata?.name)).toContain(name);

      const patched = await core.patchNamespacedPod(
        { name, namespace, body: { metadata: { labels: { patched: 'yes' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      expect(patched.metadata?.labels).toEqual({ test: 'real-clients', patched: 'yes' });

      expect(await core.readNamespacedPodLog({ name, namespace })).toBe('hello from client-node\n');

      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      const status = await new Promise<k8s.V1Status>((resolve, reject) => {
        new k8s.Exec(kc)
          .exec(
            namespace,
            name,
            'main',
            ['sh', '-c', 'echo $((6 * 7))'],
            stdout,
            null,
            null,
            false,
            resolve,
          )
          .catch(reject);
      });
      expect(status.status).toBe('Success');
      await eventually('the exec output', () => out === '42\n');

      await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 1 });
      await eventually(
        'the informer to see the pod deleted',
        () => seen.includes(`delete ${name}`),
        WAIT,
      );
    } finally {
      await informer.stop();
    }
  }, 240_000);

  it("skiff explain pod NAME asks the scheduler skiff up started, found through the kubeconfig's extension", async () => {
    const name = 'explained';
    await writeFile(join(home, `${name}.json`), JSON.stringify(podManifest(name, 'hi')));
    await kubectl('create', '-f', join(home, `${name}.json`));
    const node = await eventually(
      'the pod bound',
      async () => (await kubectl('get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}')) || false,
      WAIT,
    );
    // No flag and no SKIFF_SCHEDULER_URL: only the kubeconfig can say where the scheduler is.
    expect(process.env.SKIFF_SCHEDULER_URL).toBeUndefined();
    const explain = spawnSkiff(['explain', 'pod', name, '--kubeconfig', kubeconfig]);
    expect(await explain.exit, explain.errors()).toBe(0);
    expect(explain.output()).toContain(`Pod:      default/${name}\n`);
    expect(explain.output()).toContain(`Result:   scheduled to ${node}\n`);
    expect(explain.output()).toMatch(new RegExp(`\\n${node} +passed +\\d+`));
    await kubectl('delete', 'pod', name, '--wait=false');
  }, 240_000);
});
