// `pnpm bench podstartup`: pod startup latency as Kubernetes' SLO defines it — from the pod's
// creation to a watch observing it Running with every container started, image pulls excluded
// (the image is on the node before the first pod) — through the whole path: the apiserver, the
// real scheduler, the kubelet and the CRI runtime. Each pod's time is broken down by stage:
//
//   scheduled          the scheduler decided (its /debug/decisions record)
//   bound              a watch sees spec.nodeName set (the binding written)
//   sandbox ready      the kubelet's RunPodSandbox returned
//   containers started the kubelet's StartContainer returned (the pods have one container)
//   status written     the kubelet's pods/status write of Running came back
//   observed Running   the benchmark's watch sees it — the SLO's end
//
// In the same run on the same runtime it measures the ceiling: the same pods' CRI calls with no
// kubelet in between (RunPodSandbox → CreateContainer → StartContainer with the configs the
// kubelet itself would send). Both runtimes are measured in one run — skiff runtime, then
// containerd 1.6 (the kubelet e2e tests' fixtures) — and compared. With every pod running it
// prints the kubelet's CPU and RSS: the apiserver and the scheduler run in processes of their own
// (`skiff apiserver`, `skiff scheduler`, from source), so this process is the kubelet (and the
// benchmark's watch, idle by then). Needs root. This is not a test: nothing passes or fails.
//
// Options: --pods N (default 100), --rate R pods/s (default 10), --warmup N (default 3),
// --runtimes skiff,containerd (default both).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleepUnlessAborted } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Pod } from '@skiff/api';
import { createClient, type Client } from '@skiff/client';
import { generatePodSandboxConfig } from '../kuberuntime/sandbox-config.js';
import { generateContainerConfig } from '../kuberuntime/container-config.js';
import { Kubelet } from '../kubelet.js';
import {
  E2E_RUNTIMES,
  e2eRuntimeUnavailable,
  startE2eRuntime,
  type E2eRuntimeName,
} from '../testing/e2e-runtime.js';
import { e2eKubeletOptions } from '../testing/e2e-kubelet-options.js';
import type { Cri } from '../cri/index.js';
import { watchForInterruption } from './interruption.js';
import { startSkiffProcess, type SkiffProcess } from './skiff-process.js';
import { StageStamps, TimedCri, timedStatusWrites, wallNow } from './stage-stamps.js';

const { values: flags } = parseArgs({
  options: {
    pods: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    runtimes: { type: 'string', default: E2E_RUNTIMES.join(',') },
  },
});
const podCount = Number(flags.pods);
const rate = Number(flags.rate);
const warmup = Number(flags.warmup);
const runtimes = flags.runtimes
  .split(',')
  .filter((name): name is E2eRuntimeName => (E2E_RUNTIMES as readonly string[]).includes(name));

const NODE = 'podstartup-bench';
const IMAGE = 'skiff.local/busybox:latest';

function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1] ?? NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Ctrl-C or SIGTERM: no new pods are started, and the runtime's stop() still runs.
const interruption = watchForInterruption('podstartup bench');

/** A bench pod: no nodeName, so the scheduler places it. */
function benchPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'app',
          image: IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"],
        },
      ],
    },
  };
}

/** Starts `count` jobs at `perSecond`, each timed from its own start; resolves with the times. */
async function atRate<T>(count: number, perSecond: number, job: (i: number) => Promise<T>) {
  const started: Promise<T>[] = [];
  const t0 = performance.now();
  const { signal } = interruption;
  try {
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleepUnlessAborted(wait, undefined, { signal });
      signal.throwIfAborted();
      started.push(job(i));
    }
  } catch (err) {
    // Interrupted: what was started settles before the caller's cleanup removes it.
    await Promise.allSettled(started);
    throw err;
  }
  return Promise.all(started);
}

/** A bench pod with a UID and node of its own, as the API would give it. */
function podWithUid(name: string): Pod {
  const pod = benchPod(name);
  return {
    ...pod,
    metadata: { name, namespace: 'default', uid: `ceiling-${name}` },
    spec: { ...pod.spec, nodeName: NODE },
  };
}

function sandboxConfigFor(pod: Pod, logs: string) {
  return generatePodSandboxConfig(pod, 0, {
    dns: {
      clusterDNS: [],
      clusterDomain: 'cluster.local',
      host: { servers: [], searches: [], options: [] },
    },
    podLogsDirectory: logs,
  });
}

/** The ceiling: one pod's CRI calls, as the kubelet makes them, with nothing in between. */
async function criOnly(cri: Cri, imageRef: string, name: string, logs: string): Promise<number> {
  const pod = podWithUid(name);
  const start = performance.now();
  const sandboxConfig = sandboxConfigFor(pod, logs);
  const sandbox = await cri.runPodSandbox(sandboxConfig);
  const [container] = pod.spec.containers;
  if (container === undefined) throw new Error('no container');
  const config = generateContainerConfig({
    pod,
    container,
    restartCount: 0,
    imageRef,
    imageUid: undefined,
    env: [],
    qos: 'BestEffort',
    nodeMemoryCapacityBytes: 0,
    mounts: [],
  });
  const id = await cri.createContainer(sandbox, config, sandboxConfig);
  await cri.startContainer(id);
  return performance.now() - start;
}

/** One pod's way through the system, as wall-clock times. */
interface PodTimeline {
  readonly name: string;
  readonly created: number;
  readonly bound: number;
  readonly running: number;
}

/** Creates pods and watches them: bound when nodeName appears, done when Running is seen. */
function watchedPods(client: Client) {
  const created = new Map<string, number>();
  const bound = new Map<string, number>();
  const waiting = new Map<string, (timeline: PodTimeline) => void>();
  let stopWatch = (): void => undefined;
  const watching = (async () => {
    const watch = await client.pods('default').watch();
    stopWatch = () => watch.stop();
    for await (const event of watch) {
      const now = wallNow();
      const pod = event.object as Pod;
      const name = pod.metadata.name ?? '';
      if ((pod.spec.nodeName ?? '') !== '' && !bound.has(name)) bound.set(name, now);
      const statuses = pod.status?.containerStatuses ?? [];
      const running =
        pod.status?.phase === 'Running' &&
        statuses.length > 0 &&
        statuses.every((s) => s.state?.running !== undefined);
      const start = created.get(name);
      const done = waiting.get(name);
      if (running && start !== undefined && done !== undefined) {
        waiting.delete(name);
        done({ name, created: start, bound: bound.get(name) ?? NaN, running: now });
      }
    }
  })();
  return {
    run: (name: string): Promise<PodTimeline> =>
      new Promise<PodTimeline>((resolve, reject) => {
        waiting.set(name, resolve);
        created.set(name, wallNow());
        client.pods('default').create(benchPod(name)).catch(reject);
      }),
    stop: async () => {
      stopWatch();
      await watching;
    },
  };
}

async function deleteAll(client: Client, cri: Cri): Promise<void> {
  const pods = await client.pods('default').list();
  await Promise.all(
    pods.items.map((p) =>
      client.pods('default').delete(p.metadata.name ?? '', { gracePeriodSeconds: 1 }),
    ),
  );
  for (let i = 0; i < 300; i++) {
    const left = (await client.pods('default').list()).items.length;
    const sandboxes = await cri.listPodSandbox();
    if (left === 0 && sandboxes.length === 0) return;
    await sleep(200);
  }
  throw new Error('pods were not cleaned up within 60 s');
}

async function removeSandboxes(cri: Cri): Promise<void> {
  for (const sandbox of await cri.listPodSandbox()) {
    await cri.stopPodSandbox(sandbox.id);
    await cri.removePodSandbox(sandbox.id);
  }
}

function row(label: string, samples: readonly number[]): string {
  const known = samples.filter((s) => !Number.isNaN(s));
  const p50 = percentile(known, 0.5);
  const p99 = percentile(known, 0.99);
  const missing = samples.length - known.length;
  return `  ${label.padEnd(44)} p50 ${p50.toFixed(0).padStart(6)} ms   p99 ${p99.toFixed(0).padStart(6)} ms${missing > 0 ? `   (${missing} not seen)` : ''}`;
}

/** The scheduler's decision time per pod name, from its /debug/decisions. */
async function decisionTimes(schedulerUrl: string): Promise<Map<string, number>> {
  const response = await fetch(`${schedulerUrl}/debug/decisions`);
  const body = (await response.json()) as { items?: { pod: string; time: string }[] };
  return new Map(
    (body.items ?? []).map((d) => [d.pod.replace(/^default\//, ''), Date.parse(d.time)]),
  );
}

function kubeconfigFor(server: string, dir: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: bench, cluster: {server: "' + server + '"}}]',
      'users: [{name: bench, user: {}}]',
      'contexts: [{name: bench, context: {cluster: bench, user: bench}}]',
      'current-context: bench',
      '',
    ].join('\n'),
  );
  return path;
}

/** A stage's wall-clock time for a pod, undefined if it was not seen. */
type Stage = readonly [label: string, at: (t: PodTimeline) => number | undefined];

/** Each stage's time since creation, then each stage's own share (since the one before). */
function printBreakdown(
  runtimeName: string,
  timelines: readonly PodTimeline[],
  stages: readonly Stage[],
): void {
  const at = (t: PodTimeline, stage: Stage | undefined): number =>
    stage === undefined ? t.created : (stage[1](t) ?? NaN);
  console.log(`\n${runtimeName}: ${podCount} pods at ${rate}/s, from creation (wall clock):`);
  for (const stage of stages) {
    console.log(
      row(
        stage[0],
        timelines.map((t) => at(t, stage) - t.created),
      ),
    );
  }
  console.log('  each stage on its own (since the stage before):');
  stages.forEach((stage, i) => {
    const from = stages[i - 1];
    console.log(
      row(
        `  ${stage[0]}`,
        timelines.map((t) => at(t, stage) - at(t, from)),
      ),
    );
  });
}

interface Figures {
  readonly total: readonly number[];
  readonly ceiling: readonly number[];
}

/** The control plane beside the kubelet: `skiff apiserver` and `skiff scheduler` processes. */
async function startControlPlane(dir: string): Promise<{
  apiserver: SkiffProcess;
  scheduler: SkiffProcess;
  stop: () => Promise<void>;
}> {
  const apiserver = await startSkiffProcess(
    ['apiserver', '--storage', `embedded:${join(dir, 'store')}`, '--port', '0'],
    /listening on (http:\/\/[\d.:]+)/,
  );
  const scheduler = await startSkiffProcess(
    [
      'scheduler',
      '--kubeconfig',
      kubeconfigFor(apiserver.ready, dir),
      '--leader-elect=false',
      '--port',
      '0',
      '--bind-address',
      '127.0.0.1',
    ],
    /serving (http:\/\/[\d.:]+)\/healthz/,
  ).catch(async (err: unknown) => {
    await apiserver.stop();
    throw err;
  });
  return {
    apiserver,
    scheduler,
    stop: async () => {
      await scheduler.stop();
      await apiserver.stop();
    },
  };
}

/** Both phases on one runtime: the ceiling with no kubelet, then the pods through a kubelet. */
async function measure(runtimeName: E2eRuntimeName): Promise<Figures> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const runtime = await startE2eRuntime(runtimeName);
    cleanups.push(() => runtime.stop());
    // The SLO leaves image pulls out: the image is on the node before any pod is timed. skiff
    // runtime builds its demo images (busybox, pause) from the host's busybox with its first
    // sandbox, so one is made and removed first (harmless on containerd, which has them).
    const logs = `${runtime.dir}/ceiling-logs`;
    const first = await runtime.cri.runPodSandbox(sandboxConfigFor(podWithUid('image'), logs));
    await runtime.cri.stopPodSandbox(first);
    await runtime.cri.removePodSandbox(first);
    const image = await runtime.cri.imageStatus(IMAGE);
    if (image === undefined) throw new Error(`${IMAGE} is not in ${runtimeName}'s store`);
    const imageRef = image.id;

    // The ceiling first, with no kubelet running: a kubelet would see these sandboxes as
    // orphans (no such pod in the API) and remove them while they are being timed.
    for (let i = 0; i < warmup; i++) await criOnly(runtime.cri, imageRef, `warm-cri-${i}`, logs);
    await removeSandboxes(runtime.cri);
    const ceiling = await atRate(podCount, rate, (i) =>
      criOnly(runtime.cri, imageRef, `cri-${i}`, logs),
    );
    await removeSandboxes(runtime.cri);

    const dir = mkdtempSync(join(tmpdir(), 'skiff-podstartup-'));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const controlPlane = await startControlPlane(dir);
    cleanups.push(() => controlPlane.stop());
    const client = createClient({ server: controlPlane.apiserver.ready, qps: Infinity });
    cleanups.push(() => Promise.resolve(client.close()));
    const stamps = new StageStamps();
    const cri = new TimedCri(runtime.endpoint, stamps);
    cleanups.push(() => Promise.resolve(cri.close()));
    const kubeletClient = createClient({ server: controlPlane.apiserver.ready, qps: Infinity });
    cleanups.push(() => Promise.resolve(kubeletClient.close()));
    const kubelet = await Kubelet.start({
      ...e2eKubeletOptions(timedStatusWrites(kubeletClient, stamps), { ...runtime, cri }, NODE),
      maxPods: Math.max(110, podCount + warmup),
    });
    cleanups.push(() => kubelet.shutdown());
    const pods = watchedPods(client);
    cleanups.push(() => pods.stop());
    // The warm-up pods also wait for the scheduler to see the node Ready.
    for (let i = 0; i < warmup; i++) await pods.run(`warm-kubelet-${i}`);
    await deleteAll(client, runtime.cri);
    cri.reads.clear();
    const timelines = await atRate(podCount, rate, (i) => pods.run(`pod-${i}`));
    const reads = new Map(cri.reads);

    // The steady state with every pod running: this process is the kubelet.
    const cpuBefore = process.cpuUsage();
    const apiserverCpuBefore = controlPlane.apiserver.cpuSeconds();
    const steadyMs = 10_000;
    await sleepUnlessAborted(steadyMs, undefined, { signal: interruption.signal });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / steadyMs) * 100;
    const apiserverPercent =
      ((controlPlane.apiserver.cpuSeconds() - apiserverCpuBefore) / (steadyMs / 1000)) * 100;
    const rssMiB = process.memoryUsage().rss / 1024 / 1024;
    const decided = await decisionTimes(controlPlane.scheduler.ready);

    const total = timelines.map((t) => t.running - t.created);
    printBreakdown(runtimeName, timelines, [
      ['scheduled (scheduler decided)', (t) => decided.get(t.name)],
      ['bound (watch sees nodeName)', (t) => t.bound],
      ['sandbox ready (RunPodSandbox returned)', (t) => stamps.get(t.name, 'sandboxReady')],
      [
        'containers started (StartContainer returned)',
        (t) => stamps.get(t.name, 'containersStarted'),
      ],
      ['status written (Running patch returned)', (t) => stamps.get(t.name, 'statusWritten')],
      ['observed Running by watch (the SLO)', (t) => t.running],
    ]);
    console.log(row('ceiling: RunPodSandbox+CreateContainer+StartContainer', ceiling));
    const ratio = (q: number) => (percentile(total, q) / percentile(ceiling, q)).toFixed(2);
    console.log(`  ratio kubelet path ÷ ceiling: p50 ${ratio(0.5)}, p99 ${ratio(0.99)}`);
    const readCount = [...reads.values()].reduce((a, b) => a + b, 0);
    console.log(
      `  kubelet's CRI state reads while the pods started: ${readCount} (${(readCount / podCount).toFixed(1)} per pod; ${[...reads].map(([m, n]) => `${m} ${n}`).join(', ')})`,
    );
    console.log(
      `  with ${podCount} pods running, over ${steadyMs / 1000} s: kubelet ${cpuPercent.toFixed(1)}% of a core, RSS ${rssMiB.toFixed(0)} MiB (apiserver ${apiserverPercent.toFixed(1)}% of a core)`,
    );
    await deleteAll(client, runtime.cri);
    return { total, ceiling };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => console.error(`cleanup: ${String(err)}`));
    }
  }
}

async function main(): Promise<void> {
  const wanted = runtimes.filter((name) => {
    const why = e2eRuntimeUnavailable(name);
    if (why !== undefined) console.log(`${name}: not measured (${why})`);
    return why === undefined;
  });
  console.log(
    `pod startup: ${podCount} pods at ${rate}/s on one node, through apiserver + scheduler + kubelet; image present (SLO: pulls excluded)`,
  );
  const figures = new Map<E2eRuntimeName, Figures>();
  for (const name of wanted) {
    interruption.signal.throwIfAborted();
    figures.set(name, await measure(name));
  }
  const skiff = figures.get('skiff');
  const containerd = figures.get('containerd');
  if (skiff !== undefined && containerd !== undefined) {
    const ratio = (q: number) =>
      (percentile(skiff.total, q) / percentile(containerd.total, q)).toFixed(2);
    console.log(`\nend to end, skiff runtime ÷ containerd: p50 ${ratio(0.5)}, p99 ${ratio(0.99)}`);
  }
  for (const [name, { total }] of figures) {
    const p99 = percentile(total, 0.99);
    console.log(
      `${name}: Kubernetes' SLO p99 ≤ 5000 ms ${p99 <= 5000 ? 'met' : 'missed'}; the issue's target p99 ≤ 1000 ms ${p99 <= 1000 ? 'met' : 'missed'}`,
    );
  }
}

main()
  .catch((err: unknown) => {
    // Interrupted: everything made is removed by now; exit as a shell reports an interruption.
    if (interruption.signal.aborted) process.exitCode = 130;
    else {
      console.error(err);
      process.exitCode = 1;
    }
  })
  .finally(() => interruption.dispose());
