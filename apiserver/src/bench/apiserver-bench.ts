// `pnpm bench apiserver`: the apiserver's throughput, latency, watch delivery and memory, each
// beside the ceiling measured in the same run on the same machine.
//
//   creates   pod creates/s and p50/p99 at concurrency 1 and 64, over HTTP (keep-alive) to a
//             `skiff apiserver` process on the embedded store and on etcd;
//   ceilings  raw etcd puts/s and raw create-if-absent txns/s (a create is a CAS txn) through
//             the etcd3 client at the same concurrency, and a bare node:http server answering a
//             constant (the HTTP floor); then the ratios;
//   watches   1,000 watch streams on pods while ~500 pod updates/s flow: delivery latency from
//             each write's acknowledgement to each watcher reading the event;
//   memory    the apiserver process's RSS after startup and after the load.
//
// Rounds alternate the targets' order so a noisy neighbour hurts them alike; throughput is the
// median round, latencies pool every round.
//
// Options: --rounds N (5) --ops-c1 N (300) --ops-c64 N (3000) --watchers N (1000) --rate N (500)
//          --watch-seconds N (8) --watch-shapes per-node,all --built (run cli/dist, not sources)
//          --profile DIR (write the apiserver processes' CPU profiles there)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import {
  measureRounds,
  percentile,
  runClosedLoop,
  type TargetStats,
} from '../storage/bench/measure.js';
import { formatTable, roundsRows } from '../storage/bench/report.js';
import { startEtcd } from '../storage/testing/etcd-process.js';
import { startApiserver, startHttpFloor, type ChildServer } from './child-process.js';
import { LoadClient } from './http-client.js';
import { podBodyFactory } from './pod-manifest.js';
import { measureWatchLatency, type WatchShape } from './watch-latency.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'ops-c1': { type: 'string', default: '300' },
    'ops-c64': { type: 'string', default: '3000' },
    watchers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '500' },
    'watch-seconds': { type: 'string', default: '8' },
    'watch-shapes': { type: 'string', default: 'per-node,all' },
    built: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const rounds = Number(flags.rounds);
const opsFor = (c: number): number => Number(c === 1 ? flags['ops-c1'] : flags['ops-c64']);
const concurrencies = [1, 64];
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const namespace = 'bench';

type Target =
  'apiserver (embedded)' | 'apiserver (etcd)' | 'raw etcd put' | 'raw etcd txn' | 'HTTP floor';
type Create = (i: number) => Promise<unknown>;

const started = Date.now();
const etcd = await startEtcd();
const embeddedDir = mkdtempSync(join(tmpdir(), 'skiff-apiserver-bench-'));
const nodeFlags = flags.profile
  ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`, '--max-old-space-size=4096']
  : [];
const apiservers: Record<'embedded' | 'etcd', ChildServer> = {
  embedded: await startApiserver(repoRoot, `embedded:${embeddedDir}`, {
    built: flags.built,
    nodeFlags,
  }),
  etcd: await startApiserver(repoRoot, `etcd:${etcd.endpoint}`, { built: flags.built, nodeFlags }),
};
const makePod = podBodyFactory(namespace);
const floor = await startHttpFloor(makePod('a-created-pod-of-typical-size').repeat(2));
const raw = new Etcd3({ hosts: etcd.endpoint.replace(/^https?:\/\//, '') });

console.log(
  `apiserver benchmark: ${rounds} rounds, ${opsFor(1)} creates at c=1 and ${opsFor(64)} at c=64; ` +
    `apiservers run ${flags.built ? 'cli/dist' : 'from source (tsx)'} as child processes; ` +
    `etcd ${etcd.endpoint}; pod body ${makePod('web-7d4b9c6f5d-x2x9q').length} bytes`,
);

const report: string[] = [];
try {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRss = { embedded: apiservers.embedded.rssMiB(), etcd: apiservers.etcd.rssMiB() };

  const clients = {
    embedded: new LoadClient(apiservers.embedded.url, 64),
    etcd: new LoadClient(apiservers.etcd.url, 64),
    floor: new LoadClient(floor.url, 64),
  };
  const nsBody = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  await clients.embedded.expect(201, 'POST', '/api/v1/namespaces', nsBody);
  await clients.etcd.expect(201, 'POST', '/api/v1/namespaces', nsBody);

  const podsPath = `/api/v1/namespaces/${namespace}/pods`;
  const targets: Record<Target, Create> = {
    'apiserver (embedded)': (i) =>
      clients.embedded.expect(201, 'POST', podsPath, makePod(`p-${i}`)),
    'apiserver (etcd)': (i) => clients.etcd.expect(201, 'POST', podsPath, makePod(`p-${i}`)),
    'raw etcd put': (i) =>
      raw.kv.put({ key: Buffer.from(`/raw/put/${i}`), value: Buffer.from(makePod(`p-${i}`)) }),
    'raw etcd txn': (i) => {
      const key = Buffer.from(`/raw/txn/${i}`);
      return raw.kv.txn({
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key, value: Buffer.from(makePod(`p-${i}`)) } }],
        failure: [],
      });
    },
    'HTTP floor': (i) => clients.floor.expect(201, 'POST', podsPath, makePod(`p-${i}`)),
  };
  const names = Object.keys(targets) as Target[];
  // Warm-up, unmeasured: JIT, connection pools and the apiservers' caches reach steady state.
  const warmUpOps = 300;
  for (const name of names) await runClosedLoop(warmUpOps, 16, (i) => targets[name](i));
  const results = await measureRounds({
    targets,
    concurrencies,
    rounds,
    opsFor,
    firstIndex: warmUpOps,
  });
  const stats = (name: Target, c: number): TargetStats => results.stats(name, c);

  report.push('', 'creates (median round; latencies pooled over rounds)');
  const rows = [
    ['target', 'c', 'ops/s', 'p50 ms', 'p99 ms', '÷ etcd put', '÷ etcd txn', '÷ HTTP floor'],
    ...roundsRows(results, {
      names,
      concurrencies,
      ceilings: ['raw etcd put', 'raw etcd txn', 'HTTP floor'],
    }),
  ];
  report.push(...formatTable(rows));
  for (const c of concurrencies) {
    const ratio = stats('apiserver (etcd)', c).opsPerSecond / stats('raw etcd put', c).opsPerSecond;
    report.push(
      `c=${c}: apiserver creates on etcd ÷ raw etcd puts = ${ratio.toFixed(2)} (target ≥ 0.6: ${ratio >= 0.6 ? 'met' : 'NOT met'}); ` +
        `embedded ÷ raw etcd puts = ${(stats('apiserver (embedded)', c).opsPerSecond / stats('raw etcd put', c).opsPerSecond).toFixed(2)}`,
    );
  }
  for (const client of Object.values(clients)) client.close();

  const shapes = (flags['watch-shapes'] ?? '').split(',').filter((s) => s !== '') as WatchShape[];
  const watchRows = [
    [
      'backend',
      'shape',
      'watchers',
      'writes/s',
      'delivered',
      'p50 ms',
      'p99 ms',
      'max ms',
      'streams cut',
    ],
  ];
  for (const shape of shapes) {
    for (const backend of ['embedded', 'etcd'] as const) {
      if (shape === 'all' && backend === 'etcd') continue; // fan-out cost does not depend on the store
      const result = await measureWatchLatency({
        baseUrl: apiservers[backend].url,
        namespace: `watch-${shape}`,
        shape,
        watchers: Number(flags.watchers),
        ratePerSecond: Number(flags.rate),
        seconds: Number(flags['watch-seconds']),
      });
      const l = Array.from(result.latenciesMs);
      watchRows.push([
        backend,
        shape,
        flags.watchers ?? '',
        result.achievedRate.toFixed(0),
        `${result.delivered}/${result.expected}`,
        percentile(l, 50).toFixed(1),
        percentile(l, 99).toFixed(1),
        percentile(l, 100).toFixed(1),
        String(result.endedEarly),
      ]);
    }
  }
  report.push(
    '',
    'watch delivery latency (write acknowledged → event read by the watcher; target p99 ≤ 100 ms)',
  );
  report.push(...formatTable(watchRows));

  await new Promise((resolve) => setTimeout(resolve, 3000));
  report.push('', 'apiserver process memory (MiB)');
  report.push(
    ...formatTable([
      ['backend', 'RSS after startup', 'RSS after load (idle 3 s)', 'peak RSS'],
      ...(['embedded', 'etcd'] as const).map((b) => [
        b,
        idleRss[b].toFixed(0),
        apiservers[b].rssMiB().toFixed(0),
        apiservers[b].peakRssMiB().toFixed(0),
      ]),
    ]),
  );
  report.push('', `whole run: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(report.join('\n'));
} finally {
  raw.close();
  await Promise.all([apiservers.embedded.stop(), apiservers.etcd.stop(), floor.stop()]);
  await etcd.destroy();
  rmSync(embeddedDir, { recursive: true, force: true });
}
