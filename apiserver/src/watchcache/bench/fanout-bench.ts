// Watch fan-out benchmark: N watchers on one resource while writes arrive at a fixed rate (open
// loop), measuring delivery latency from the moment a write is issued to the moment each watcher
// receives its event. The ceiling, measured in the same run on the same store, is one raw storage
// watch under the same write load: what a single consumer could get with no cache at all.
// Target (issue): 1,000 watchers, 500 updates/s, delivery p99 ≤ 100 ms on 2 cores.
//
//   node --conditions=source --import tsx apiserver/src/watchcache/bench/fanout-bench.ts \
//     [--watchers 1000] [--rate 500] [--seconds 10] [--filtered 0]
//
// --filtered F gives that fraction of the watchers a label predicate (half the objects match).
import { parseArgs } from 'node:util';
import { realClock } from '@skiff/api';
import type { KeyValue, Storage } from '../../storage/interface.js';
import { percentile } from '../../storage/bench/measure.js';
import { podFixtureBytes } from '../../storage/bench/pod-fixture.js';
import { formatTable } from '../../storage/bench/report.js';
import { openTempEmbeddedStore } from '../../storage/testing/temp-embedded-store.js';
import { WatchCache } from '../watch-cache.js';

const { values: flags } = parseArgs({
  options: {
    watchers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    filtered: { type: 'string', default: '0' },
  },
});
const watcherCount = Number(flags.watchers);
const rate = Number(flags.rate);
const seconds = Number(flags.seconds);
const filteredShare = Number(flags.filtered);
const total = Math.round(rate * seconds);

interface BenchPod {
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string };
}

const template = JSON.parse(new TextDecoder().decode(podFixtureBytes())) as BenchPod;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const decode = (kv: KeyValue): BenchPod => {
  const pod = JSON.parse(decoder.decode(kv.value)) as BenchPod;
  return { ...pod, metadata: { ...pod.metadata, resourceVersion: String(kv.modRevision) } };
};
const now = (): number => performance.now();

const temp = await openTempEmbeddedStore({ prefix: 'skiff-fanout-bench-' });
const storage = temp.storage;
console.log(
  `watch fan-out benchmark: ${watcherCount} watchers (${Math.round(filteredShare * 100)}% with a ` +
    `label predicate), ${rate} writes/s for ${seconds} s, embedded store in ${temp.dir}`,
);
try {
  const ceiling = await measureRawWatch(storage, 'ceiling');
  const cached = await measureCache(storage, 'cache');
  report(ceiling, cached);
} finally {
  await temp.dispose();
}

interface Result {
  readonly latenciesMs: Float64Array;
  readonly deliveries: number;
  readonly cpuPercent: number;
  readonly achievedRate: number;
}

/** Writes `total` pods at `rate`; `sentAt` records when each name was issued. */
async function writeAtRate(phase: string, sentAt: Map<string, number>): Promise<number> {
  const start = now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = `${phase}-${i}`;
    const pod: BenchPod = {
      ...template,
      metadata: { ...template.metadata, name, labels: { app: i % 2 === 0 ? 'web' : 'db' } },
    };
    sentAt.set(name, now());
    pending.push(storage.create(`pods/bench/${name}`, encoder.encode(JSON.stringify(pod))));
  }
  await Promise.all(pending);
  return total / ((now() - start) / 1000);
}

async function measureRawWatch(store: Storage, phase: string): Promise<Result> {
  const sentAt = new Map<string, number>();
  const latencies = new Float64Array(total);
  let received = 0;
  const watch = store.watch(`pods/bench/${phase}-`);
  const reading = (async () => {
    for await (const event of watch) {
      const pod = decode(event.kv);
      latencies[received++] = now() - (sentAt.get(pod.metadata.name) ?? Number.NaN);
      if (received === total) break;
    }
  })();
  const cpu = process.cpuUsage();
  const started = now();
  const achievedRate = await writeAtRate(phase, sentAt);
  await reading;
  return {
    latenciesMs: latencies,
    deliveries: received,
    cpuPercent: cpuPercent(cpu, started),
    achievedRate,
  };
}

async function measureCache(store: Storage, phase: string): Promise<Result> {
  const cache = new WatchCache<BenchPod>({
    storage: store,
    prefix: `pods/`,
    decode,
    clock: realClock,
  });
  const stop = new AbortController();
  const running = cache.start(stop.signal);
  await cache.waitReady();
  const sentAt = new Map<string, number>();
  const filteredCount = Math.round(watcherCount * filteredShare);
  const expected = (watcherCount - filteredCount) * total + filteredCount * Math.ceil(total / 2);
  const latencies = new Float64Array(expected);
  let deliveries = 0;
  const readers = Array.from({ length: watcherCount }, async (_, w) => {
    const filtered = w < filteredCount;
    const watch = cache.watch({
      afterRevision: cache.revision,
      predicate: filtered ? (pod) => pod.metadata.labels?.app === 'web' : undefined,
    });
    const want = filtered ? Math.ceil(total / 2) : total;
    let mine = 0;
    for await (const event of watch) {
      if (event.type === 'BOOKMARK') continue;
      const name = event.object.metadata.name;
      latencies[deliveries++] = now() - (sentAt.get(name) ?? Number.NaN);
      if (++mine === want) break;
    }
  });
  const cpu = process.cpuUsage();
  const started = now();
  const achievedRate = await writeAtRate(phase, sentAt);
  await Promise.all(readers);
  const stats = cache.stats();
  stop.abort();
  await running;
  if (stats.watchersTooSlow > 0) console.log(`!! ${stats.watchersTooSlow} watchers were cut off`);
  return {
    latenciesMs: latencies.subarray(0, deliveries),
    deliveries,
    cpuPercent: cpuPercent(cpu, started),
    achievedRate,
  };
}

function cpuPercent(since: NodeJS.CpuUsage, startedMs: number): number {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1000 / (now() - startedMs)) * 100;
}

function report(ceiling: Result, cached: Result): void {
  const row = (name: string, r: Result): string[] => [
    name,
    r.achievedRate.toFixed(0),
    String(r.deliveries),
    percentile(Array.from(r.latenciesMs), 50).toFixed(2),
    percentile(Array.from(r.latenciesMs), 99).toFixed(2),
    percentile(Array.from(r.latenciesMs), 100).toFixed(2),
    r.cpuPercent.toFixed(0),
  ];
  const rows = [
    ['path', 'writes/s', 'deliveries', 'p50 ms', 'p99 ms', 'max ms', 'cpu % of 1 core'],
    row('raw storage watch, 1 consumer (ceiling)', ceiling),
    row(`watch cache, ${watcherCount} watchers`, cached),
  ];
  for (const line of formatTable(rows)) console.log(line);
  const p99 = percentile(Array.from(cached.latenciesMs), 99);
  const ceilingP99 = percentile(Array.from(ceiling.latenciesMs), 99);
  console.log(
    `\ncache delivery p99 ${p99.toFixed(2)} ms (target ≤ 100 ms); ` +
      `÷ ceiling p99: ${(p99 / ceilingP99).toFixed(2)}×`,
  );
}
