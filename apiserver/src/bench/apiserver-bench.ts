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
//   protobuf  the same pod creates and 500-pod lists (watch cache, storage) in JSON and in
//             Kubernetes protobuf, with the ratio (./protobuf-vs-json.ts);
//
// Options: --creates true|false (true) --protobuf true|false (true) --rounds N (5) --ops-c1 N (300) --ops-c64 N (3000)
//          --watchers N (1000) --rate N (500) --watch-seconds N (8) --watch-shapes per-node,all
//          --built (run cli/dist, not sources) --profile DIR (write the apiserver processes' CPU
//          profiles there)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile } from '../storage/bench/measure.js';
import { formatTable } from '../storage/bench/report.js';
import { startEtcd } from '../storage/testing/etcd-process.js';
import { startApiserver, type ChildServer } from './child-process.js';
import { measureCreateThroughput } from './create-throughput.js';
import { measureProtobufVsJson } from './protobuf-vs-json.js';
import { LoadClient } from './http-client.js';
import { podBodyFactory } from './pod-manifest.js';
import { measureWatchLatency, type WatchShape } from './watch-latency.js';

const { values: flags } = parseArgs({
  options: {
    creates: { type: 'string', default: 'true' },
    protobuf: { type: 'string', default: 'true' },
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
const measureCreates = parseSwitch('creates', flags.creates);
const measureProtobuf = parseSwitch('protobuf', flags.protobuf);
const rounds = Number(flags.rounds);
const opsFor = (c: number): number => Number(c === 1 ? flags['ops-c1'] : flags['ops-c64']);
const concurrencies = [1, 64];
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const namespace = 'bench';

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

console.log(
  `apiserver benchmark: ${
    measureCreates
      ? `${rounds} rounds, ${opsFor(1)} creates at c=1 and ${opsFor(64)} at c=64`
      : 'creates skipped'
  }; apiservers run ${flags.built ? 'cli/dist' : 'from source (tsx)'} as child processes; ` +
    `etcd ${etcd.endpoint}; pod body ${podBodyFactory(namespace)('web-7d4b9c6f5d-x2x9q').length} bytes`,
);

function etcdPid(): number {
  const pid = etcd.pid;
  if (pid === undefined) throw new Error(`etcd at ${etcd.endpoint} is not running`);
  return pid;
}

const report: string[] = [];
try {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRss = { embedded: apiservers.embedded.rssMiB(), etcd: apiservers.etcd.rssMiB() };

  if (measureCreates) {
    const nsBody = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
    for (const server of Object.values(apiservers)) {
      const client = new LoadClient(server.url, 1);
      await client.expect(201, 'POST', '/api/v1/namespaces', nsBody);
      client.close();
    }
    report.push(
      ...(await measureCreateThroughput({
        apiservers,
        etcdEndpoint: etcd.endpoint,
        etcdPid: etcdPid(),
        namespace,
        rounds,
        concurrencies,
        opsFor,
      })),
    );
  }

  if (measureProtobuf) {
    const client = new LoadClient(apiservers.embedded.url, 1);
    const namespaces = [`${namespace}-protobuf`, `${namespace}-list`] as const;
    for (const name of namespaces) {
      await client.expect(
        201,
        'POST',
        '/api/v1/namespaces',
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
      );
    }
    client.close();
    report.push(
      ...(await measureProtobufVsJson({
        apiserver: apiservers.embedded,
        namespaces,
        rounds,
        listSize: 500,
      })),
    );
  }

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
      'server CPU',
      'client CPU',
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
        serverCpuSeconds: () => apiservers[backend].cpuSeconds(),
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
        result.serverCpuPercent === undefined ? '' : `${result.serverCpuPercent.toFixed(0)}%`,
        `${result.clientCpuPercent.toFixed(0)}%`,
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
  await Promise.all([apiservers.embedded.stop(), apiservers.etcd.stop()]);
  await etcd.destroy();
  rmSync(embeddedDir, { recursive: true, force: true });
}

/** A `--name true|false` switch (a string option, so `--creates false` parses). */
function parseSwitch(name: string, value: string | undefined): boolean {
  if (value === 'true' || value === undefined) return true;
  if (value === 'false') return false;
  throw new Error(`--${name} takes true or false, not ${value}`);
}
