// `pnpm bench scheduler`: scheduling throughput shaped like Kubernetes' scheduler_perf
// SchedulingBasic — N Node objects (no kubelets) and M pods with cpu/memory requests, against a
// real apiserver on the embedded store (its own process), in one run:
//
//   ceiling     raw pods/binding calls per second through the same apiserver and client, with
//               node names precomputed, at the scheduler's binding concurrency: what binding
//               alone can reach
//   scheduling  the M pods are created first (pending), then the scheduler starts; pods/s from
//               its first attempt to the last binding, attempt latency p50/p99 (from the
//               scheduler_scheduling_attempt_duration_seconds histogram, as histogram_quantile
//               estimates it), and the ratio to the ceiling
//
// Options: --nodes N (5000) --pods N (10000) --ceiling-pods N (3000) --concurrency N (64: bindings
//          in flight, for the ceiling and the scheduler's maxConcurrentBindings alike)
//          --spread-affinity: PodTopologySpread and InterPodAffinity on every pod (see
//          bench-objects.ts)
//          --cpu-profile FILE: a V8 CPU profile of the scheduler process while it schedules
//          (not while the benchmark creates nodes and pods), for Chrome DevTools or speedscope
//          --apiserver-cpu-profile DIR: the apiserver's V8 CPU profile (its whole life, written
//          when it exits); the benchmark prints the scheduling phase's window on the monotonic
//          clock, and `profile-summary.ts FILE --window A-B` narrows the profile to it
//
// Both processes run with the node flags of the `skiff` bin (./production-node-flags.ts): the
// young generation's size decides how often the scheduler's garbage collector runs.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { makePod } from '@skiff/api/testing';
import { createClient, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { DecisionStore } from '../explain/index.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { startApiserverProcess } from './apiserver-process.js';
import { benchNode, benchPod } from './bench-objects.js';
import { productionNodeFlags, reexecWithProductionFlags } from './production-node-flags.js';

// The scheduler runs in this process: with `skiff scheduler`'s node flags, not node's defaults.
reexecWithProductionFlags();

const { values: flags } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '10000' },
    'ceiling-pods': { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '64' },
    'spread-affinity': { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
    'apiserver-cpu-profile': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(
    'pnpm bench scheduler [--nodes 5000] [--pods 10000] [--ceiling-pods 3000] [--concurrency 64] [--spread-affinity] [--cpu-profile FILE] [--apiserver-cpu-profile DIR]',
  );
  process.exit(0);
}
const numNodes = Number(flags.nodes);
const numPods = Number(flags.pods);
const ceilingPods = Number(flags['ceiling-pods']);
/** Bindings in flight, for the ceiling and the scheduler alike. */
const concurrency = Number(flags.concurrency);

/** Runs `work(i)` for i in [0, n) with at most `concurrency` in flight. */
async function pool(
  n: number,
  concurrency: number,
  work: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

const log = (line: string): void => console.log(line);
const apiserverProfileDir = flags['apiserver-cpu-profile'];
const api = await startApiserverProcess(
  apiserverProfileDir ? { cpuProfileDir: apiserverProfileDir } : {},
);
/** The monotonic clock in µs, which V8's CPU profiles of every process on this machine use. */
const monotonicMicros = (): bigint => process.hrtime.bigint() / 1000n;
const client: Client = createClient({ server: api.url, qps: Infinity });
try {
  log(
    `scheduler benchmark: ${numNodes} nodes, ${numPods} pods${flags['spread-affinity'] ? ' with spread + anti-affinity + preferred affinity' : ''}, against skiff apiserver (embedded store) at ${api.url}`,
  );
  log(`  both processes run node with ${productionNodeFlags().join(' ')}, as the skiff bin does`);
  for (const name of ['ceiling', 'bench']) {
    await client.namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const t0 = performance.now();
  await pool(numNodes, 64, async (i) => {
    const node = benchNode(i);
    const created = await client.nodes().create(node);
    await client.nodes().updateStatus({ ...created, status: node.status ?? {} });
  });
  log(`  created ${numNodes} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Ceiling: raw bindings with precomputed node names.
  await pool(ceilingPods, 64, (i) =>
    client.pods('ceiling').create(makePod().name(`c-${i}`).namespace('ceiling').obj()),
  );
  const c0 = performance.now();
  const apiCpu0 = api.cpuSeconds();
  await pool(ceilingPods, concurrency, (i) =>
    client.pods('ceiling').createSubresource(`c-${i}`, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: `c-${i}` },
      target: { kind: 'Node', name: `node-${i % numNodes}` },
    }),
  );
  const ceiling = ceilingPods / ((performance.now() - c0) / 1000);
  const ceilingCpuMs = ((api.cpuSeconds() - apiCpu0) * 1000) / ceilingPods;
  log(
    `  ceiling: ${ceiling.toFixed(0)} pods/binding calls/s (${ceilingPods} at concurrency ${concurrency}); apiserver CPU ${ceilingCpuMs.toFixed(2)} ms per binding`,
  );

  const p0 = performance.now();
  await pool(numPods, 64, (i) =>
    client.pods('bench').create(benchPod(i, flags['spread-affinity'])),
  );
  log(`  created ${numPods} pending pods in ${((performance.now() - p0) / 1000).toFixed(1)} s`);

  const registry = new Registry();
  // The event recorder drops events its queue (1,000) cannot hold, as client-go's broadcaster
  // does: counted, since each dropped event is a write the apiserver did not have to do.
  let droppedEvents = 0;
  const scheduler = new Scheduler({
    client,
    metricsRegistry: registry,
    maxConcurrentBindings: concurrency,
    // As `skiff scheduler` (app.ts) keeps them for explain: each pod's latest decision.
    decisions: new DecisionStore(),
    log: (message) => {
      if (message.startsWith('dropped event')) droppedEvents++;
    },
  });
  const stop = new AbortController();
  const s0 = performance.now();
  await scheduler.startInformers(stop.signal);
  log(`  informers synced in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  const profiler = flags['cpu-profile'] ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const running = scheduler.run(stop.signal);
  const started = performance.now();
  const windowStart = monotonicMicros();
  const cpu0 = process.cpuUsage();
  const apiCpuScheduling0 = api.cpuSeconds();
  const scheduled = async (): Promise<number> => {
    const metric = await registry.getSingleMetric('scheduler_schedule_attempts_total')?.get();
    return (
      metric?.values
        .filter((v) => v.labels['result'] === 'scheduled')
        .reduce((a, v) => a + v.value, 0) ?? 0
    );
  };
  for (;;) {
    const done = await scheduled();
    if (done >= numPods) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const windowEnd = monotonicMicros();
  const cpu = process.cpuUsage(cpu0);
  const apiCpuMs = ((api.cpuSeconds() - apiCpuScheduling0) * 1000) / numPods;
  const throughput = numPods / seconds;
  const latency = await attemptLatency(registry);
  stop.abort();
  await running;
  if (profiler && flags['cpu-profile']) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(flags['cpu-profile'], JSON.stringify(profile));
    profiler.disconnect();
    log(`  CPU profile of the scheduling phase: ${flags['cpu-profile']}`);
  }
  log(`  scheduling: ${numPods} pods in ${seconds.toFixed(1)} s = ${throughput.toFixed(0)} pods/s`);
  log(
    `  attempt latency (scheduling + binding): p50 ${fmtMs(latency.p50)}, p99 ${fmtMs(latency.p99)}`,
  );
  log(`  ratio to the binding ceiling: ${(throughput / ceiling).toFixed(2)}`);
  log(
    `  apiserver CPU while scheduling: ${apiCpuMs.toFixed(2)} ms per pod (binding, Scheduled event, watch)`,
  );
  const schedulerCpuMs = (cpu.user + cpu.system) / 1000 / numPods;
  log(
    `  scheduler process CPU: ${schedulerCpuMs.toFixed(2)} ms per pod (cycle, binding and event requests, watch) = at most ${(1000 / schedulerCpuMs).toFixed(0)} pods/s per core`,
  );
  log(`  Scheduled events dropped by the full event queue: ${droppedEvents} of ${numPods}`);
  const cache = scheduler.cache.counts();
  log(`  cache: ${cache.nodes} nodes, ${cache.pods} pods, ${cache.assumed} still assumed`);
  if (apiserverProfileDir) {
    log(
      `  apiserver CPU profile in ${apiserverProfileDir} once it exits; the scheduling phase is --window ${windowStart}-${windowEnd}`,
    );
  }
} finally {
  client.close();
  await api.stop();
}

function fmtMs(seconds: number): string {
  return `${(seconds * 1000).toFixed(1)} ms`;
}

/** p50/p99 from the histogram's cumulative buckets, interpolating as histogram_quantile does. */
async function attemptLatency(registry: Registry): Promise<{ p50: number; p99: number }> {
  const metric = await registry
    .getSingleMetric('scheduler_scheduling_attempt_duration_seconds')
    ?.get();
  const buckets = new Map<number, number>();
  for (const v of metric?.values ?? []) {
    // Histogram values carry their series name: only the cumulative _bucket counts are wanted.
    const series = 'metricName' in v ? v.metricName : '';
    if (series !== 'scheduler_scheduling_attempt_duration_seconds_bucket') continue;
    if (v.labels['result'] !== 'scheduled') continue;
    const le = v.labels['le'] === '+Inf' ? Infinity : Number(v.labels['le']);
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted[sorted.length - 1]?.[1] ?? 0;
  const quantile = (q: number): number => {
    const rank = q * total;
    let prevLe = 0;
    let prevCount = 0;
    for (const [le, count] of sorted) {
      if (count >= rank) {
        if (le === Infinity) return prevLe;
        return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, count - prevCount);
      }
      prevLe = le;
      prevCount = count;
    }
    return Number.NaN;
  };
  return { p50: quantile(0.5), p99: quantile(0.99) };
}
