// The creates section of `pnpm bench apiserver`: pod creates/s and p50/p99 at each concurrency
// through both apiservers, beside the ceilings measured in the same run (raw etcd puts, raw
// create-if-absent txns, a bare HTTP server answering a constant) and the ratios to them.
//
// Raw etcd is measured twice. Through `etcd3`, the standard Node client: the ceiling the target
// ratio is stated against. And through the backend's own wire client, which needs half the
// client CPU per put: that row shows how much more etcd itself takes on this machine when the
// client is not what limits it.
import { Etcd3 } from 'etcd3';
import { EtcdClient } from '../storage/etcd/client.js';
import { measureRounds, runClosedLoop, type TargetStats } from '../storage/bench/measure.js';
import { formatTable, roundsRows } from '../storage/bench/report.js';
import { procCpuSeconds, startHttpFloor, type ChildServer } from './child-process.js';
import { LoadClient } from './http-client.js';
import { podBodyFactory } from './pod-manifest.js';

export interface CreateThroughputOptions {
  readonly apiservers: Readonly<Record<'embedded' | 'etcd', ChildServer>>;
  readonly etcdEndpoint: string;
  /** The etcd process, for its CPU per operation. */
  readonly etcdPid: number;
  /** A namespace that already exists on both apiservers. */
  readonly namespace: string;
  readonly rounds: number;
  readonly concurrencies: readonly number[];
  readonly opsFor: (concurrency: number) => number;
}

type Target =
  | 'apiserver (embedded)'
  | 'apiserver (etcd)'
  | 'raw etcd put'
  | 'raw etcd put (wire client)'
  | 'raw etcd txn'
  | 'HTTP floor';

/** Runs the creates section; returns its report lines. */
export async function measureCreateThroughput(o: CreateThroughputOptions): Promise<string[]> {
  const makePod = podBodyFactory(o.namespace);
  const floor = await startHttpFloor(makePod('a-created-pod-of-typical-size').repeat(2));
  const raw = new Etcd3({ hosts: o.etcdEndpoint.replace(/^https?:\/\//, '') });
  const wire = new EtcdClient({ endpoints: [o.etcdEndpoint], requestTimeoutMs: 10_000 });
  const clients = {
    embedded: new LoadClient(o.apiservers.embedded.url, 64),
    etcd: new LoadClient(o.apiservers.etcd.url, 64),
    floor: new LoadClient(floor.url, 64),
  };
  try {
    const podsPath = `/api/v1/namespaces/${o.namespace}/pods`;
    const targets: Record<Target, (i: number) => Promise<unknown>> = {
      'apiserver (embedded)': (i) =>
        clients.embedded.expect(201, 'POST', podsPath, makePod(`p-${i}`)),
      'apiserver (etcd)': (i) => clients.etcd.expect(201, 'POST', podsPath, makePod(`p-${i}`)),
      'raw etcd put': (i) =>
        raw.kv.put({ key: Buffer.from(`/raw/put/${i}`), value: Buffer.from(makePod(`p-${i}`)) }),
      'raw etcd put (wire client)': (i) =>
        wire.put({ key: Buffer.from(`/raw/wire/${i}`), value: Buffer.from(makePod(`p-${i}`)) }),
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
    // It must be long enough for V8 to finish optimizing the hot paths: with a few hundred ops,
    // the first (c=1) rounds measured the compiler threads more than the requests (the
    // apiservers' CPU per create at c=1 read 600–760 µs instead of about 280).
    const warmUpOps = 5000;
    for (const name of names) await runClosedLoop(warmUpOps, 64, (i) => targets[name](i));
    const results = await measureRounds({
      targets,
      concurrencies: o.concurrencies,
      rounds: o.rounds,
      opsFor: o.opsFor,
      firstIndex: warmUpOps,
      cpuClocks: cpuClocksFor(o, floor),
    });
    const stats = (name: Target, c: number): TargetStats => results.stats(name, c);

    const report = ['', 'creates (median round; latencies pooled over rounds)'];
    const rows = [
      ['target', 'c', 'ops/s', 'p50 ms', 'p99 ms', '÷ etcd put', '÷ etcd txn', '÷ HTTP floor'],
      ...roundsRows(results, {
        names,
        concurrencies: o.concurrencies,
        ceilings: ['raw etcd put', 'raw etcd txn', 'HTTP floor'],
      }),
    ];
    report.push(...formatTable(rows));
    report.push('', 'CPU per operation (µs; every round at that concurrency)');
    report.push(
      ...formatTable([
        ['target', 'c', 'server', 'etcd', 'load generator', 'all'],
        ...o.concurrencies.flatMap((c) =>
          names.map((name) => {
            const cpu = stats(name, c).cpuMicrosPerOp;
            const cell = (process: string): string => cpu[process]?.toFixed(0) ?? '-';
            const all = Object.values(cpu).reduce((sum, us) => sum + us, 0);
            return [
              name,
              String(c),
              cell('server'),
              cell('etcd'),
              cell('load generator'),
              all > 0 ? all.toFixed(0) : '-',
            ];
          }),
        ),
      ]),
    );
    for (const c of o.concurrencies) {
      const put = stats('raw etcd put', c).opsPerSecond;
      const ratio = stats('apiserver (etcd)', c).opsPerSecond / put;
      const embedded = stats('apiserver (embedded)', c).opsPerSecond / put;
      const wirePut = stats('raw etcd put (wire client)', c).opsPerSecond;
      const ratioToWire = stats('apiserver (etcd)', c).opsPerSecond / wirePut;
      report.push(
        `c=${c}: apiserver creates on etcd ÷ raw etcd puts (etcd3) = ${ratio.toFixed(2)} ` +
          `(target ≥ 0.6: ${ratio >= 0.6 ? 'met' : 'NOT met'}); ` +
          `÷ raw etcd puts (wire client) = ${ratioToWire.toFixed(2)}; ` +
          `embedded ÷ raw etcd puts (etcd3) = ${embedded.toFixed(2)}`,
      );
    }
    return report;
  } finally {
    for (const client of Object.values(clients)) client.close();
    raw.close();
    wire.close();
    await floor.stop();
  }
}

/**
 * Which processes each target keeps busy: the server it calls (an apiserver or the HTTP floor), etcd
 * (if involved) and this process, which generates the load (and is the client for the raw etcd
 * rows).
 */
function cpuClocksFor(
  o: CreateThroughputOptions,
  floor: ChildServer,
): Partial<Record<Target, Readonly<Record<string, () => number>>>> {
  const etcd = (): number => procCpuSeconds(o.etcdPid);
  const self = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  return {
    'apiserver (embedded)': { server: o.apiservers.embedded.cpuSeconds, 'load generator': self },
    'apiserver (etcd)': { server: o.apiservers.etcd.cpuSeconds, etcd, 'load generator': self },
    'raw etcd put': { etcd, 'load generator': self },
    'raw etcd put (wire client)': { etcd, 'load generator': self },
    'raw etcd txn': { etcd, 'load generator': self },
    'HTTP floor': { server: floor.cpuSeconds, 'load generator': self },
  };
}
