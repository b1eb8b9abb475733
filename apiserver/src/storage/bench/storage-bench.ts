// `pnpm bench storage`: puts/s and p50/p99 latency at concurrency 1 and 64 for raw etcd (the
// ceiling: the etcd3 client's bare KV put), our etcd backend and our embedded backend, all in one
// run on one machine, with the ratios to the ceiling. A second ceiling is the same client's bare
// create-if-absent txn: every write our backend makes is a compare-and-swap txn (that is what
// makes resourceVersion conflicts possible), and etcd serves a txn slower than a blind put, so
// the backend's own overhead is its distance from that txn, not from the put. Rounds alternate the backends' order so a
// noisy neighbour hurts them alike; throughput is the median round, latencies pool every round.
//
// Options: --rounds N (default 3), --ops-c1 N (default 1000), --ops-c64 N (default 10000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { openEmbeddedStorage } from '../embedded/index.js';
import { openEtcdStorage } from '../etcd/index.js';
import { startEtcd } from '../testing/etcd-process.js';
import { median, percentile, runClosedLoop } from './measure.js';
import { podFixtureBytes } from './pod-fixture.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'ops-c1': { type: 'string', default: '1000' },
    'ops-c64': { type: 'string', default: '10000' },
  },
});
const rounds = Number(flags.rounds);
const opsFor = (concurrency: number): number =>
  concurrency === 1 ? Number(flags['ops-c1']) : Number(flags['ops-c64']);

type BackendName =
  'raw etcd (etcd3 put)' | 'raw etcd (etcd3 txn)' | 'etcd backend' | 'embedded backend';
type Put = (key: string, value: Uint8Array) => Promise<unknown>;

interface Sample {
  opsPerSecond: number[];
  latenciesMs: number[];
}

const value = podFixtureBytes();
const etcd = await startEtcd();
const raw = new Etcd3({ hosts: endpointHost(etcd.endpoint) });
const etcdBackend = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/bench/' });
const embeddedDir = mkdtempSync(join(tmpdir(), 'skiff-bench-embedded-'));
const embedded = await openEmbeddedStorage({ dir: embeddedDir, compactionIntervalMs: 0 });

const backends: Record<BackendName, Put> = {
  'raw etcd (etcd3 put)': (key, v) =>
    raw.kv.put({ key: Buffer.from(`/raw/${key}`), value: Buffer.from(v) }),
  'raw etcd (etcd3 txn)': (key, v) => {
    const etcdKey = Buffer.from(`/rawtxn/${key}`);
    return raw.kv.txn({
      compare: [{ key: etcdKey, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: etcdKey, value: Buffer.from(v) } }],
      failure: [],
    });
  },
  'etcd backend': (key, v) => etcdBackend.create(key, v),
  'embedded backend': (key, v) => embedded.create(key, v),
};
const names = Object.keys(backends) as BackendName[];

console.log(
  `storage benchmark: ${value.length}-byte pod values, ${rounds} rounds, etcd ${etcd.endpoint} (data in ${etcd.dataDir}), embedded in ${embeddedDir}`,
);
const results = new Map<string, Sample>();
let keySeq = 0;
try {
  for (const concurrency of [1, 64]) {
    for (let round = 0; round < rounds; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length] as BackendName);
      for (const name of order) {
        const put = backends[name];
        const base = keySeq;
        keySeq += opsFor(concurrency);
        const run = await runClosedLoop(opsFor(concurrency), concurrency, (i) =>
          put(`pods/bench/pod-${base + i}`, value),
        );
        const sample = results.get(`${name}@${concurrency}`) ?? {
          opsPerSecond: [],
          latenciesMs: [],
        };
        sample.opsPerSecond.push(run.opsPerSecond);
        sample.latenciesMs.push(...run.latenciesMs);
        results.set(`${name}@${concurrency}`, sample);
      }
    }
  }
  report();
} finally {
  raw.close();
  await etcdBackend.close();
  await embedded.close();
  await etcd.destroy();
  rmSync(embeddedDir, { recursive: true, force: true });
}

function report(): void {
  const rows: string[][] = [
    ['backend', 'concurrency', 'puts/s (median)', 'p50 ms', 'p99 ms', '÷ raw etcd'],
  ];
  const stats = (name: BackendName, c: number): { ops: number; p50: number; p99: number } => {
    const s = results.get(`${name}@${c}`);
    if (!s) throw new Error(`no samples for ${name} at ${c}`);
    return {
      ops: median(s.opsPerSecond),
      p50: percentile(s.latenciesMs, 50),
      p99: percentile(s.latenciesMs, 99),
    };
  };
  for (const c of [1, 64]) {
    const ceiling = stats('raw etcd (etcd3 put)', c).ops;
    for (const name of names) {
      const s = stats(name, c);
      rows.push([
        name,
        String(c),
        s.ops.toFixed(0),
        s.p50.toFixed(2),
        s.p99.toFixed(2),
        (s.ops / ceiling).toFixed(2),
      ]);
    }
  }
  printTable(rows);
  console.log('');
  const ratio = (name: BackendName, ceiling: BackendName, c: number): number =>
    stats(name, c).ops / stats(ceiling, c).ops;
  const percent = (r: number): string => `${((1 - r) * 100).toFixed(1)}%`;
  for (const ceiling of ['raw etcd (etcd3 put)', 'raw etcd (etcd3 txn)'] as const) {
    console.log(
      `etcd backend overhead vs ${ceiling}: ${percent(ratio('etcd backend', ceiling, 1))} at c=1, ${percent(ratio('etcd backend', ceiling, 64))} at c=64 (target ≤ 10%)`,
    );
  }
  console.log(
    `embedded ÷ raw etcd put at c=64: ${ratio('embedded backend', 'raw etcd (etcd3 put)', 64).toFixed(2)}× (target ≥ 3×)`,
  );
  console.log(`embedded fsyncs: ${JSON.stringify(embedded.stats())}`);
}

function printTable(rows: string[][]): void {
  const widths =
    rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  for (const row of rows)
    console.log(row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  '));
}

function endpointHost(endpoint: string): string {
  return endpoint.replace(/^https?:\/\//, '');
}
