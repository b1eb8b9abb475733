// `pnpm bench storage`: puts/s and p50/p99 latency at concurrency 1 and 64 for raw etcd (the
// ceiling: the etcd3 client's bare KV put), our etcd backend and our embedded backend, all in one
// run on one machine, with the ratios to the ceiling. A second ceiling is the same client's bare
// create-if-absent txn: every write our backend makes is a compare-and-swap txn (that is what
// makes resourceVersion conflicts possible), and etcd serves a txn slower than a blind put, so
// the backend's own overhead is its distance from that txn, not from the put. A third ceiling is
// a bare put through the backend's own lean gRPC client (../etcd/wire/): what etcd allows from
// this process when the client costs as little as it can. Rounds alternate the backends' order so a
// noisy neighbour hurts them alike; throughput is the median round, latencies pool every round.
//
// Options: --rounds N (default 3), --ops-c1 N (default 1000), --ops-c64 N (default 10000).
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { EtcdClient } from '../etcd/client.js';
import { openEtcdStorage } from '../etcd/index.js';
import { startEtcd } from '../testing/etcd-process.js';
import { openTempEmbeddedStore } from '../testing/temp-embedded-store.js';
import { measureRounds, type RoundsResult, type TargetStats } from './measure.js';
import { podFixtureBytes } from './pod-fixture.js';
import { formatTable, roundsRows } from './report.js';

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
  | 'raw etcd (etcd3 put)'
  | 'raw etcd put (wire client)'
  | 'raw etcd (etcd3 txn)'
  | 'etcd backend'
  | 'embedded backend';
/** Writes pod number `i` (each index once) to one backend. */
type Put = (i: number) => Promise<unknown>;

const value = podFixtureBytes();
const etcd = await startEtcd();
const raw = new Etcd3({ hosts: endpointHost(etcd.endpoint) });
const wire = new EtcdClient({ endpoints: [etcd.endpoint], requestTimeoutMs: 10_000 });
const etcdBackend = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/bench/' });
const temp = await openTempEmbeddedStore({ prefix: 'skiff-bench-embedded-' });
const embedded = temp.storage;

const keyOf = (i: number): string => `pods/bench/pod-${i}`;
const backends: Record<BackendName, Put> = {
  'raw etcd (etcd3 put)': (i) =>
    raw.kv.put({ key: Buffer.from(`/raw/${keyOf(i)}`), value: Buffer.from(value) }),
  'raw etcd put (wire client)': (i) => wire.put({ key: Buffer.from(`/wire/${keyOf(i)}`), value }),
  'raw etcd (etcd3 txn)': (i) => {
    const etcdKey = Buffer.from(`/rawtxn/${keyOf(i)}`);
    return raw.kv.txn({
      compare: [{ key: etcdKey, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: etcdKey, value: Buffer.from(value) } }],
      failure: [],
    });
  },
  'etcd backend': (i) => etcdBackend.create(keyOf(i), value),
  'embedded backend': (i) => embedded.create(keyOf(i), value),
};
const names = Object.keys(backends) as BackendName[];

console.log(
  `storage benchmark: ${value.length}-byte pod values, ${rounds} rounds, etcd ${etcd.endpoint} (data in ${etcd.dataDir}), embedded in ${temp.dir}`,
);
try {
  const results = await measureRounds({
    targets: backends,
    concurrencies: [1, 64],
    rounds,
    opsFor,
  });
  report(results);
} finally {
  raw.close();
  wire.close();
  await etcdBackend.close();
  await temp.dispose();
  await etcd.destroy();
}

function report(results: RoundsResult<BackendName>): void {
  const rows = [
    ['backend', 'concurrency', 'puts/s (median)', 'p50 ms', 'p99 ms', '÷ raw etcd'],
    ...roundsRows(results, { names, concurrencies: [1, 64], ceilings: ['raw etcd (etcd3 put)'] }),
  ];
  for (const line of formatTable(rows)) console.log(line);
  const stats = (name: BackendName, c: number): TargetStats => results.stats(name, c);
  console.log('');
  const ratio = (name: BackendName, ceiling: BackendName, c: number): number =>
    stats(name, c).opsPerSecond / stats(ceiling, c).opsPerSecond;
  // A backend faster than the ceiling (its own client beats etcd3's) has no overhead to speak of;
  // say "faster" rather than print a negative overhead.
  const overhead = (r: number): string =>
    r >= 1 ? `none (${((r - 1) * 100).toFixed(1)}% faster)` : `${((1 - r) * 100).toFixed(1)}%`;
  for (const ceiling of ['raw etcd (etcd3 put)', 'raw etcd (etcd3 txn)'] as const) {
    const verdict = [1, 64].every((c) => ratio('etcd backend', ceiling, c) >= 0.9)
      ? 'met'
      : 'NOT met';
    console.log(
      `etcd backend overhead vs ${ceiling}: ${overhead(ratio('etcd backend', ceiling, 1))} at c=1, ${overhead(ratio('etcd backend', ceiling, 64))} at c=64 (target ≤ 10%: ${verdict})`,
    );
  }
  console.log(
    `embedded ÷ raw etcd put at c=64: ${ratio('embedded backend', 'raw etcd (etcd3 put)', 64).toFixed(2)}× (target ≥ 3×)`,
  );
  console.log(`embedded fsyncs: ${JSON.stringify(embedded.stats())}`);
}

function endpointHost(endpoint: string): string {
  return endpoint.replace(/^https?:\/\//, '');
}
