// `pnpm bench network-dns`: queries/s and latency of skiff dns, against a raw UDP echo server
// in the same process shape as the ceiling. The server under test (and the echo) runs in this
// process, on one event loop — one core; the load comes from a separate process.
//
// Cases: the echo (the ceiling); cluster names (A of a Service's ClusterIP) asked again and
// again, as clients do — answered from the encoded-answer memo; the same names spelled so no
// query repeats another's bytes — each one resolved and encoded; and outside names answered
// from the forwarder's cache. Each is
// run under load (`--concurrency` in flight) and unloaded (one in flight), for the p99s.
// Figures: answers/s, answers per CPU-second of the serving process (what one core sustains,
// on a shared machine), p50/p99, and the ratio to the echo.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeService } from '@skiff/api/testing';
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient } from '@skiff/client';
import { startDns } from '../dns.js';
import { startStaticDnsServer } from '../testing/static-dns-server.js';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
  },
});
const services = Number(values.services);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

interface LoadResult {
  answered: number;
  lost: number;
  qps: number;
  p50: number;
  p99: number;
}

interface Measured extends LoadResult {
  /** Answers per CPU-second this process spent while the load ran. */
  perCpuSecond: number;
}

const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));

async function load(
  port: number,
  names: readonly string[],
  inFlight: number,
  runSeconds: number,
): Promise<Measured> {
  const cpuBefore = process.cpuUsage();
  // The names go over stdin: 20,000 of them do not fit in an argument list.
  const child = spawn(process.execPath, ['--import', 'tsx', loadScript], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(
    JSON.stringify({
      host: '127.0.0.1',
      port,
      names,
      concurrency: inFlight,
      seconds: runSeconds,
      warmupSeconds: 1,
    }),
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited ${String(code)}`);
  const cpu = process.cpuUsage(cpuBefore);
  const result = JSON.parse(out) as LoadResult;
  // CPU time covers warm-up too; scale the answers to the whole run for the per-CPU figure.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { ...result, perCpuSecond: (result.qps * (runSeconds + 1)) / cpuSeconds };
}

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => socket.send(message, peer.port, peer.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const api = await startTestApiServer({ prefix: 'skiff-dns-bench-' });
  const client = createClient({ server: api.url, qps: Infinity });
  const upstream = await startStaticDnsServer({
    records: Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`host-${i}.example.test`, [`192.0.2.${i + 1}`]]),
    ),
    ttl: 3600,
  });
  process.stdout.write(`creating ${services} Services…\n`);
  for (let i = 0; i < services; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, services - i) }, (_, j) =>
        client.services('default').create(
          makeService()
            .name(`svc-${i + j}`)
            .namespace('default')
            .obj(),
        ),
      ),
    );
  }
  const dns = await startDns({
    client,
    listen: [{ host: '127.0.0.1', port: 0 }],
    upstreams: [upstream],
  });
  const dnsPort = dns.addresses[0]?.port ?? 0;
  const echo = await echoServer();
  const clusterNames = Array.from(
    { length: services },
    (_, i) => `svc-${i}.default.svc.cluster.local`,
  );
  // The same names in 20,000 different spellings (DNS names are case-insensitive): no two
  // queries in a row share their bytes, so every answer is resolved and encoded afresh.
  let seed = 1;
  const coin = (): boolean => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0x100) !== 0;
  const respelled = Array.from({ length: 20_000 }, (_, i) =>
    [...(clusterNames[i % clusterNames.length] ?? '')]
      .map((c) => (coin() ? c.toUpperCase() : c))
      .join(''),
  );
  const outsideNames = Array.from({ length: 100 }, (_, i) => `host-${i}.example.test`);

  const cases: [string, number, readonly string[]][] = [
    ['raw UDP echo (ceiling)', echo.port, clusterNames],
    ['skiff dns: cluster names (A)', dnsPort, clusterNames],
    ['skiff dns: cluster names, never the same bytes', dnsPort, respelled],
    ['skiff dns: outside names (cache)', dnsPort, outsideNames],
  ];
  const rows: string[][] = [];
  let ceiling = { loaded: NaN, perCpu: NaN };
  for (const [what, port, names] of cases) {
    const loaded = await load(port, names, concurrency, seconds);
    const single = await load(port, names, 1, Math.min(seconds, 3));
    if (port === echo.port) ceiling = { loaded: loaded.qps, perCpu: loaded.perCpuSecond };
    rows.push([
      what,
      loaded.qps.toFixed(0),
      loaded.perCpuSecond.toFixed(0),
      (loaded.qps / ceiling.loaded).toFixed(2),
      `${loaded.p50.toFixed(2)} / ${loaded.p99.toFixed(2)}`,
      `${single.p50.toFixed(3)} / ${single.p99.toFixed(3)}`,
      String(loaded.lost),
    ]);
  }
  const header = [
    'case',
    'answers/s',
    'per CPU-s',
    '÷ echo',
    `p50/p99 ms (${concurrency} in flight)`,
    'p50/p99 ms (1 in flight)',
    'lost',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\n${services} Services; ${seconds} s per loaded case after 1 s warm-up\n`);
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write('\ntarget: ≥ 20000 answers/s of cluster names on one core\n');

  await echo.close();
  await dns.stop();
  await upstream.close();
  client.close();
  await api.close();
}

await main();
