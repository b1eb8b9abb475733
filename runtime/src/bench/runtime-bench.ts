// `pnpm bench runtime`: how long the kubelet's two hottest CRI sequences take on skiff runtime
// and on containerd 1.6 + runc, measured in the same run, on the same machine, with the same
// images, both through the CRI on their unix sockets:
//
//   pod sandbox:  RunPodSandbox → StopPodSandbox → RemovePodSandbox
//   container:    CreateContainer → StartContainer → StopContainer → RemoveContainer
//                 (in one long-lived sandbox; the process exits on SIGTERM, as a well-behaved
//                 workload does, so the stop measures the runtime and not a grace period)
//   exec:         ExecSync of `true`, and the same through the streaming server as the kubelet
//                 does for kubectl exec: Exec → SPDY upgrade → streams → exit status
//
// With 30 iterations the p99 is the slowest sample; raise --iterations for a steadier tail.
//
// Iterations alternate between the runtimes so a noisy neighbour hurts both alike. It prints
// p50/p99 of each step and of the whole sequence, and the ratio skiff ÷ containerd (the target
// is ≤ 1). This is not a test: nothing here passes or fails.
//
// skiff runtime runs from the build (cli/dist/main.js, as `pnpm skiff` and users run it; `pnpm
// bench runtime` builds first), or from source with --from source (tsx in the process, as the
// tests run it: a bigger heap, so every process it spawns costs more).
//
// Options: --iterations N (default 30), --warmup N (default 3), --from build|source.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startContainerdTarget } from '../testing/critest/containerd-target.js';
import { runtimeCall } from '../testing/critest/cri-calls.js';
import type { CriTarget } from '../testing/critest/cri-target.js';
import { makeContainer, makePod, runPod, type PodFixture } from '../testing/critest/pods.js';
import { startSkiffTarget } from '../testing/critest/skiff-target.js';
import { writeTestImages } from '../testing/critest/test-images.js';
import { dialSpdy, openSpdyCommand } from '../streaming/testing/streaming-client.js';
import { summarize, type Summary } from './percentiles.js';

const { values: flags } = parseArgs({
  options: {
    iterations: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    from: { type: 'string', default: 'build' },
  },
});
const iterations = Number(flags.iterations);
const warmup = Number(flags.warmup);
const from = flags.from === 'source' ? 'source' : 'build';

// The pause loop: exits 0 on SIGTERM at once, even as PID 1, once its trap is set; it says
// "ready" then, and the benchmark waits for that (untimed) before stopping it. Without the wait a
// SIGTERM that lands before the trap is ignored by PID 1 and the stop measures the grace period.
const TERM_AWARE = "trap 'exit 0' TERM; echo ready; while :; do sleep 3600 & wait $!; done";

async function waitForReady(logFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await readFile(logFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    if (text.includes('ready')) return;
    if (Date.now() > deadline) throw new Error(`${logFile}: no "ready" line after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

type Steps = Record<string, number>;

async function timed(steps: Steps, name: string, fn: () => Promise<unknown>): Promise<void> {
  const start = process.hrtime.bigint();
  await fn();
  steps[name] = Number(process.hrtime.bigint() - start) / 1e6;
}

async function podCycle(target: CriTarget): Promise<Steps> {
  const steps: Steps = {};
  const pod = makePod(target, 'bench-pod');
  let id = '';
  await timed(steps, 'RunPodSandbox', async () => (id = await runPod(target, pod)));
  await timed(steps, 'StopPodSandbox', () =>
    runtimeCall(target, 'StopPodSandbox', { pod_sandbox_id: id }),
  );
  await timed(steps, 'RemovePodSandbox', () =>
    runtimeCall(target, 'RemovePodSandbox', { pod_sandbox_id: id }),
  );
  return steps;
}

let containerSerial = 0;

async function containerCycle(
  target: CriTarget,
  pod: PodFixture,
  sandboxId: string,
): Promise<Steps> {
  const steps: Steps = {};
  containerSerial += 1;
  const config = makeContainer(target, `bench-${containerSerial}`, TERM_AWARE);
  let id = '';
  await timed(steps, 'CreateContainer', async () => {
    ({ container_id: id } = await runtimeCall(target, 'CreateContainer', {
      pod_sandbox_id: sandboxId,
      config,
      sandbox_config: pod.config,
    }));
  });
  await timed(steps, 'StartContainer', () =>
    runtimeCall(target, 'StartContainer', { container_id: id }),
  );
  await waitForReady(join(pod.logDirectory, `bench-${containerSerial}.log`));
  await timed(steps, 'StopContainer', () =>
    runtimeCall(target, 'StopContainer', { container_id: id, timeout: 10 }),
  );
  await timed(steps, 'RemoveContainer', () =>
    runtimeCall(target, 'RemoveContainer', { container_id: id }),
  );
  return steps;
}

/** ExecSync and a streaming exec of `true` in a running container. */
async function execCycle(target: CriTarget, containerId: string): Promise<Steps> {
  const steps: Steps = {};
  await timed(steps, 'ExecSync', () =>
    runtimeCall(target, 'ExecSync', { container_id: containerId, cmd: ['true'], timeout: 10 }),
  );
  await timed(steps, 'streaming exec', async () => {
    const { url } = await runtimeCall(target, 'Exec', {
      container_id: containerId,
      cmd: ['true'],
      stdout: true,
      stderr: true,
    });
    const answer = await dialSpdy(url, ['v4.channel.k8s.io']);
    if (answer.session === undefined) throw new Error(`${url}: HTTP ${answer.status}`);
    const command = await openSpdyCommand(answer.session, { stdout: true, stderr: true });
    const status = await command.error;
    if (!status.includes('Success')) throw new Error(`streaming exec: ${status}`);
    await answer.session.close();
  });
  return steps;
}

interface Samples {
  readonly steps: Map<string, number[]>;
  readonly totals: number[];
}

function record(samples: Samples, steps: Steps): void {
  let total = 0;
  for (const [name, ms] of Object.entries(steps)) {
    samples.steps.set(name, [...(samples.steps.get(name) ?? []), ms]);
    total += ms;
  }
  samples.totals.push(total);
}

const fmt = (ms: number): string => ms.toFixed(1).padStart(8);

function table(title: string, results: Map<string, Samples>): Summary[] {
  const names = [...results.keys()];
  console.log(`\n${title}`);
  console.log(
    `  ${'step'.padEnd(20)}${names.map((n) => `${n} p50`.padStart(16) + `p99`.padStart(9)).join('')}   (ms)`,
  );
  const first = results.get(names[0] ?? '');
  for (const step of first?.steps.keys() ?? []) {
    const cells = names.map((n) => {
      const s = summarize(results.get(n)?.steps.get(step) ?? []);
      return `${fmt(s.p50).padStart(16)}${fmt(s.p99).padStart(9)}`;
    });
    console.log(`  ${step.padEnd(20)}${cells.join('')}`);
  }
  const totals = names.map((n) => summarize(results.get(n)?.totals ?? []));
  console.log(
    `  ${'whole sequence'.padEnd(20)}${totals.map((s) => `${fmt(s.p50).padStart(16)}${fmt(s.p99).padStart(9)}`).join('')}`,
  );
  return totals;
}

function ratioLine(
  label: string,
  skiff: Summary | undefined,
  containerd: Summary | undefined,
): void {
  if (skiff === undefined || containerd === undefined) return;
  const p50 = skiff.p50 / containerd.p50;
  const p99 = skiff.p99 / containerd.p99;
  const verdict = p50 <= 1 ? 'meets the target (≤ 1)' : 'misses the target (≤ 1)';
  console.log(
    `  ${label.padEnd(22)} skiff ÷ containerd: p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)} — p50 ${verdict}`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-runtime-'));
  const archives = await writeTestImages(dir);
  console.log('starting containerd 1.6 + runc and skiff runtime (both with the same images)…');
  const targets: CriTarget[] = [];
  try {
    targets.push(await startSkiffTarget(archives, from));
    console.log(
      `  skiff runtime runs from the ${from === 'build' ? 'build (cli/dist)' : 'source (tsx)'}`,
    );
    targets.push(await startContainerdTarget(archives));
    for (const target of targets) {
      const version = await runtimeCall(target, 'Version', {});
      const status = await runtimeCall(target, 'Status', {});
      const ready = status.status?.conditions.find((c) => c.type === 'RuntimeReady');
      console.log(
        `  ${target.name}: ${version.runtime_name} ${version.runtime_version}${ready?.message ? ` (${ready.message})` : ''}`,
      );
    }
    const pods = new Map<string, Samples>();
    const containers = new Map<string, Samples>();
    const execs = new Map<string, Samples>();
    const homes = new Map<CriTarget, { pod: PodFixture; id: string; sleeper: string }>();
    for (const target of targets) {
      pods.set(target.name, { steps: new Map(), totals: [] });
      containers.set(target.name, { steps: new Map(), totals: [] });
      execs.set(target.name, { steps: new Map(), totals: [] });
      const pod = makePod(target, 'bench-home');
      const id = await runPod(target, pod);
      const { container_id: sleeper } = await runtimeCall(target, 'CreateContainer', {
        pod_sandbox_id: id,
        config: makeContainer(target, 'bench-exec', 'sleep 3600'),
        sandbox_config: pod.config,
      });
      await runtimeCall(target, 'StartContainer', { container_id: sleeper });
      homes.set(target, { pod, id, sleeper });
    }
    console.log(`${warmup} warm-up and ${iterations} measured iterations per runtime, alternating`);
    for (let i = 0; i < warmup + iterations; i += 1) {
      // Alternate who goes first, so neither always runs right after the other's cleanup.
      const order = i % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const home = homes.get(target);
        if (home === undefined) throw new Error(`no sandbox for ${target.name}`);
        const podSteps = await podCycle(target);
        const containerSteps = await containerCycle(target, home.pod, home.id);
        const execSteps = await execCycle(target, home.sleeper);
        if (i < warmup) continue;
        const podSamples = pods.get(target.name);
        const containerSamples = containers.get(target.name);
        const execSamples = execs.get(target.name);
        if (podSamples !== undefined) record(podSamples, podSteps);
        if (containerSamples !== undefined) record(containerSamples, containerSteps);
        if (execSamples !== undefined) record(execSamples, execSteps);
      }
    }
    const [podSkiff, podContainerd] = table(
      'pod sandbox: RunPodSandbox → StopPodSandbox → RemovePodSandbox',
      pods,
    );
    const [ctrSkiff, ctrContainerd] = table(
      'container: CreateContainer → StartContainer → StopContainer → RemoveContainer',
      containers,
    );
    table('exec: ExecSync, then Exec through the streaming server (SPDY)', execs);
    console.log('\nratio (whole sequence)');
    ratioLine('pod sandbox', podSkiff, podContainerd);
    ratioLine('container', ctrSkiff, ctrContainerd);
    for (const step of ['ExecSync', 'streaming exec']) {
      ratioLine(
        step,
        summarize(execs.get('skiff')?.steps.get(step) ?? []),
        summarize(execs.get('containerd')?.steps.get(step) ?? []),
      );
    }
  } finally {
    for (const target of targets) await target.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
