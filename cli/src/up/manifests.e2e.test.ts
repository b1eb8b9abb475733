// Every example in manifests/ on one real cluster, as a user applies them: `skiff up --nodes 3` in
// a temp state dir (real processes, real containers, as root), real kubectl 1.31, and each
// example's outcome as its comment and manifests/README.md promise it. One cluster for all (a
// start costs seconds of CI): the examples that need nothing but time are applied together first,
// so their waits overlap; the scheduling lab's steps run in order, as the lab does them. At the
// end every pod is deleted (stopping skiff up would leave containers running) and the cluster
// stopped; on failure the state dir and the components' logs are kept and named.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerStatus, Pod } from '@skiff/api';
import { eventually } from '@skiff/api/testing';
import { kubectlAt, type Kubectl } from '@skiff/apiserver/testing';
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

const manifests = fileURLToPath(new URL('../../../manifests/', import.meta.url));
const why = realClusterUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (why !== undefined && !ci) console.warn(`skipping the manifests/ end-to-end test: ${why}`);

/** Real processes on a small shared machine: generous, it only turns a hang into a failure. */
const WAIT = { timeoutMs: 180_000, intervalMs: 500 };

// Each case waits on real processes (up to WAIT per condition): longer than vitest's default.
describe.skipIf(why !== undefined && !ci)(
  'manifests/ on skiff up --nodes 3',
  { timeout: 400_000 },
  () => {
    let dir = '';
    let home = '';
    let bridge = '';
    let up: SkiffProcess | undefined;
    let kubectl: Kubectl = () => Promise.reject(new Error('no cluster'));
    /** The three nodes: the host's name, then <host>-2 and <host>-3. */
    let nodes: string[] = [];
    /** Set once the cluster is up: only then is there anything to delete before stopping it. */
    let ready = false;
    let failed = false;

    const pod = async (name: string): Promise<Pod> =>
      JSON.parse(await kubectl('get', 'pod', name, '-o', 'json')) as Pod;
    const podsLabelled = async (selector: string): Promise<Pod[]> =>
      (JSON.parse(await kubectl('get', 'pods', '-l', selector, '-o', 'json')) as { items: Pod[] })
        .items;
    const container = (p: Pod, name: string): ContainerStatus | undefined =>
      [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find(
        (c) => c.name === name,
      );
    /** The pod once `ok` holds for it. */
    const podWhen = (name: string, what: string, ok: (p: Pod) => boolean): Promise<Pod> =>
      eventually(
        `pod ${name} ${what}`,
        async () => {
          const p = await pod(name);
          return ok(p) && p;
        },
        WAIT,
      );
    const running = (p: Pod): boolean => p.status?.phase === 'Running';
    const unschedulable = (p: Pod): boolean =>
      p.status?.conditions?.some(
        (c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable',
      ) ?? false;
    /** STATUS as kubectl's table shows it (the server's Table). */
    const statusColumn = async (name: string): Promise<string> =>
      (await kubectl('get', 'pod', name, '--no-headers')).trim().split(/\s+/)[2] ?? '';

    beforeAll(async () => {
      if (why !== undefined) throw new Error(`${why}; CI must provide it`);
      dir = await mkdtemp(join(tmpdir(), 'skiff-manifests-e2e-'));
      home = await mkdtemp(join(tmpdir(), 'skiff-manifests-e2e-home-'));
      bridge = `skm${Math.random().toString(16).slice(2, 10)}`;
      const args = ['--state-dir', dir, '--port', String(await freePort()), '--nodes', '3'];
      args.push('--bridge', bridge, '--pod-cidr', await unusedPodCidr(3));
      up = spawnSkiff(['up', ...args]);
      failed = true; // until the cluster is up and the examples applied
      await untilClusterReady(up);
      ready = true;
      kubectl = kubectlAt(kubectl131() ?? '', { kubeconfig: join(dir, 'kubeconfig') }, home);
      nodes = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'))
        .split(' ')
        .sort();
      expect(nodes).toHaveLength(3);
      // The examples that need only time, together, so their waits overlap.
      for (const file of [
        'hello-pod.yaml',
        'demo',
        'crash-loop-pod.yaml',
        'oom-killed-pod.yaml',
        'run-to-completion-pod.yaml',
        'init-and-sidecar-pod.yaml',
        'volumes-pod.yaml',
      ]) {
        await kubectl('apply', '-f', join(manifests, file));
      }
      failed = false;
    }, 300_000);

    afterEach((context) => {
      if (context.task.result?.state === 'fail') failed = true;
    });

    afterAll(async () => {
      if (up === undefined) return;
      try {
        if (!ready) return;
        // Deleted first, so stopping leaves no container behind (stopping would keep them running).
        await kubectl('delete', 'deployments', '--all', '--wait=false');
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
          console.error(`manifests e2e failed: state dir and component logs kept in ${dir}/logs`);
        }
        await rm(home, { recursive: true, force: true });
        for (const b of [bridge, `${bridge.slice(0, 12)}_2`, `${bridge.slice(0, 12)}_3`]) {
          await removeBridgeAndRules(b);
        }
        if (!failed && code === 0) await removeIfUnmounted(dir);
      }
      expect(up.output()).toContain('skiff up: stopped');
    }, 300_000);

    it('hello-pod.yaml: the pod Succeeds and its log greets from the node it ran on', async () => {
      const hello = await podWhen('hello', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
      expect(await kubectl('logs', 'hello')).toContain(`on node ${hello.spec?.nodeName ?? '?'}`);
    });

    it('demo/web.yaml: three pods Ready behind the Service, which answers on its ClusterIP', async () => {
      await eventually(
        'the web Deployment available',
        async () => {
          const deployment = JSON.parse(
            await kubectl('get', 'deployment', 'web', '-o', 'json'),
          ) as {
            status?: { availableReplicas?: number };
          };
          return deployment.status?.availableReplicas === 3;
        },
        WAIT,
      );
      const endpoints = await kubectl(
        'get',
        'endpoints',
        'web',
        '-o',
        'jsonpath={.subsets[*].addresses[*].ip}',
      );
      expect(endpoints.split(' ')).toHaveLength(3);
      const clusterIP = await kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}');
      const page = await eventually(
        `the demo page from ${clusterIP}`,
        async () => {
          const text = await (
            await fetch(`http://${clusterIP}/`, { signal: AbortSignal.timeout(5000) })
          ).text();
          return /^hello from web-/.test(text) && text;
        },
        WAIT,
      );
      expect(page).toMatch(/^hello from web-/);
    });

    it('crash-loop-pod.yaml: the container is restarted with back-off in CrashLoopBackOff, its last run logged', async () => {
      const crashing = await podWhen(
        'crash-loop',
        'in CrashLoopBackOff after two restarts',
        (p) =>
          (container(p, 'app')?.restartCount ?? 0) >= 2 &&
          container(p, 'app')?.state?.waiting?.reason === 'CrashLoopBackOff',
      );
      expect(container(crashing, 'app')?.lastState?.terminated).toMatchObject({
        exitCode: 1,
        reason: 'Error',
      });
      expect(crashing.status?.phase).toBe('Running');
      const previous = await kubectl('logs', 'crash-loop', '--previous');
      expect(previous).toContain('starting up');
      expect(previous).toContain('cannot open /etc/app/config');
      expect(await statusColumn('crash-loop')).toBe('CrashLoopBackOff');
    });

    it('oom-killed-pod.yaml: the kernel kills the container at its memory limit, OOMKilled with exit 137', async () => {
      const killed = await podWhen('oom-killed', 'Failed', (p) => p.status?.phase === 'Failed');
      expect(container(killed, 'memory-hog')?.state?.terminated).toMatchObject({
        reason: 'OOMKilled',
        exitCode: 137,
      });
      expect(await statusColumn('oom-killed')).toBe('OOMKilled');
    });

    it('run-to-completion-pod.yaml: the pod Succeeds once, Completed, with its result in the log', async () => {
      const done = await podWhen('countdown', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
      expect(container(done, 'countdown')).toMatchObject({
        restartCount: 0,
        state: { terminated: { reason: 'Completed', exitCode: 0 } },
      });
      expect(await kubectl('logs', 'countdown')).toContain('done: sum of 1..100 is 5050');
    });

    it('init-and-sidecar-pod.yaml: the init container completes before the sidecar and the app start, and the sidecar runs beside the app', async () => {
      const p = await podWhen(
        'init-and-sidecar',
        'Running with its sidecar and app ready',
        (q) =>
          running(q) &&
          container(q, 'log-shipper')?.ready === true &&
          container(q, 'app')?.ready === true,
      );
      const prepare = container(p, 'prepare')?.state?.terminated;
      expect(prepare).toMatchObject({ reason: 'Completed', exitCode: 0 });
      const prepared = Date.parse(prepare?.finishedAt ?? '');
      const sidecarStarted = Date.parse(
        container(p, 'log-shipper')?.state?.running?.startedAt ?? '',
      );
      const appStarted = Date.parse(container(p, 'app')?.state?.running?.startedAt ?? '');
      // RFC 3339 seconds on the wire: within a second, "before" reads as "not after".
      expect(sidecarStarted).toBeGreaterThanOrEqual(prepared);
      expect(appStarted).toBeGreaterThanOrEqual(sidecarStarted);
      expect(await kubectl('logs', 'init-and-sidecar', '-c', 'app')).toMatch(
        /^prepared by the init container at \d\d:\d\d:\d\d\n/,
      );
      await eventually(
        "the app's lines in the sidecar's log",
        async () =>
          (await kubectl('logs', 'init-and-sidecar', '-c', 'log-shipper')).includes(
            'app: request 2 handled',
          ),
        WAIT,
      );
    });

    it('volumes-pod.yaml: the ConfigMap and Secret keys are files in the container, and a ConfigMap change reaches them', async () => {
      await podWhen('volumes', 'Running', running);
      const inPod = (...cmd: string[]) => kubectl('exec', 'volumes', '--', ...cmd);
      expect(await inPod('cat', '/etc/app/greeting')).toBe('Hello from a ConfigMap');
      expect(await inPod('cat', '/etc/app/app.properties')).toBe('color=blue\nreplicas=3\n');
      expect(await inPod('cat', '/etc/credentials/username')).toBe('demo');
      expect(await inPod('cat', '/etc/credentials/password')).toBe('not-a-real-password');
      expect((await inPod('stat', '-L', '-c', '%a', '/etc/credentials/password')).trim()).toBe(
        '400',
      );
      expect(await kubectl('logs', 'volumes')).toContain(
        'greeting: Hello from a ConfigMap\nuser: demo',
      );
      await kubectl(
        'patch',
        'configmap',
        'app-config',
        '-p',
        '{"data":{"greeting":"Hello again"}}',
      );
      // The kubelet rewrites a pod's configMap volumes on its next sync (every minute at most).
      await eventually(
        'the changed greeting in the container',
        async () => (await inPod('cat', '/etc/app/greeting')) === 'Hello again',
        WAIT,
      );
    });

    it('crd/: the CRD is Established and its CronTab served, defaulted, in columns and validated', async () => {
      await kubectl('apply', '-f', join(manifests, 'crd', 'crontab-crd.yaml'));
      await kubectl(
        'wait',
        '--for',
        'condition=Established',
        'crd/crontabs.stable.example.com',
        '--timeout=60s',
      );
      await kubectl('apply', '-f', join(manifests, 'crd', 'crontab.yaml'));
      const nightly = JSON.parse(await kubectl('get', 'crontab', 'nightly', '-o', 'json')) as {
        spec: Record<string, unknown>;
      };
      expect(nightly.spec).toEqual({
        cronSpec: '0 3 * * *',
        image: 'skiff.local/busybox:latest',
        replicas: 1,
      });
      const table = await kubectl('get', 'ct');
      expect(table).toMatch(/^NAME\s+SPEC\s+REPLICAS\s+AGE\n/);
      expect(table).toMatch(/\nnightly\s+0 3 \* \* \*\s+1\s+\d+s\n/);
      const invalid = kubectl(
        'patch',
        'crontab',
        'nightly',
        '--type',
        'merge',
        '-p',
        '{"spec":{"cronSpec":"often"}}',
      );
      await expect(invalid).rejects.toThrow(/spec\.cronSpec/);
    });

    it('scheduling/node-affinity.yaml: both pods wait Pending until a node is labelled disktype=ssd, then run there', async () => {
      await kubectl('apply', '-f', join(manifests, 'scheduling', 'node-affinity.yaml'));
      await podWhen('disk-hungry', 'Unschedulable', unschedulable);
      await podWhen('cache', 'Unschedulable', unschedulable);
      const ssd = nodes[1] ?? '';
      await kubectl('label', 'node', ssd, 'disktype=ssd');
      for (const name of ['disk-hungry', 'cache']) {
        expect((await podWhen(name, 'Running', running)).spec?.nodeName).toBe(ssd);
      }
    });

    it('scheduling/pod-anti-affinity.yaml: one replica lands on each of the three nodes', async () => {
      await kubectl('apply', '-f', join(manifests, 'scheduling', 'pod-anti-affinity.yaml'));
      const pods = await eventually(
        'three one-per-node pods Running',
        async () => {
          const list = await podsLabelled('app=one-per-node');
          return list.length === 3 && list.every(running) && list;
        },
        WAIT,
      );
      expect(pods.map((p) => p.spec?.nodeName).sort()).toEqual(nodes);
    });

    it('scheduling/taints-and-tolerations.yaml: only the tolerant pod runs on the tainted node until the taint is removed', async () => {
      const lab = nodes[2] ?? '';
      await kubectl('taint', 'node', lab, 'dedicated=lab:NoSchedule');
      await kubectl('label', 'node', lab, 'dedicated=lab');
      await kubectl('apply', '-f', join(manifests, 'scheduling', 'taints-and-tolerations.yaml'));
      expect((await podWhen('tolerant', 'Running', running)).spec?.nodeName).toBe(lab);
      const waiting = await podWhen('intolerant', 'Unschedulable', unschedulable);
      const scheduled = waiting.status?.conditions?.find((c) => c.type === 'PodScheduled');
      expect(scheduled?.message).toContain('untolerated taint');
      await kubectl('taint', 'node', lab, 'dedicated-');
      expect((await podWhen('intolerant', 'Running', running)).spec?.nodeName).toBe(lab);
    });
  },
);
