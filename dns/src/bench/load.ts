// The benchmark's load generator, run as its own process so it never shares an event loop with
// the server it measures. Keeps `concurrency` queries in flight over several UDP sockets, each
// answer replaced at once by the next question, for `seconds`; prints one JSON line: answers,
// lost queries, answers/s, and latency percentiles (ms).
import { createSocket, type Socket } from 'node:dgram';
import * as packet from 'dns-packet';

interface LoadArgs {
  readonly host: string;
  readonly port: number;
  readonly names: readonly string[];
  readonly concurrency: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const args = JSON.parse(input) as LoadArgs;
const SOCKETS = Math.min(8, args.concurrency);
const LOST_AFTER_MS = 1000;

// Every question encoded once; a query's ID is patched into its copy's first two bytes.
const encoded = args.names.map((name) =>
  packet.encode({
    type: 'query',
    id: 0,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type: 'A', name }],
  }),
);

let measuring = false;
let answered = 0;
let lost = 0;
const latencies: number[] = [];
let pick = 0;

function run(socket: Socket, window: number): void {
  const sentAt = new Map<number, number>();
  let nextId = 0;
  const send = (): void => {
    const id = nextId;
    nextId = (nextId + 1) & 0xffff;
    const query = Buffer.from(encoded[pick++ % encoded.length] ?? Buffer.alloc(0));
    query.writeUInt16BE(id, 0);
    sentAt.set(id, performance.now());
    socket.send(query, args.port, args.host);
  };
  socket.on('message', (message) => {
    const id = message.readUInt16BE(0);
    const started = sentAt.get(id);
    if (started === undefined) return;
    sentAt.delete(id);
    if (measuring) {
      answered++;
      latencies.push(performance.now() - started);
    }
    send();
  });
  setInterval(() => {
    const now = performance.now();
    for (const [id, started] of sentAt) {
      if (now - started < LOST_AFTER_MS) continue;
      sentAt.delete(id);
      if (measuring) lost++;
      send();
    }
  }, 200).unref();
  for (let i = 0; i < window; i++) send();
}

const sockets: Socket[] = [];
for (let i = 0; i < SOCKETS; i++) {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const window = Math.floor(args.concurrency / SOCKETS) + (i < args.concurrency % SOCKETS ? 1 : 0);
  socket.bind(0, '127.0.0.1', () => run(socket, window));
}

setTimeout(() => {
  measuring = true;
  const started = performance.now();
  setTimeout(() => {
    measuring = false;
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number): number =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    process.stdout.write(
      `${JSON.stringify({ answered, lost, qps: answered / seconds, p50: at(0.5), p99: at(0.99) })}\n`,
    );
    for (const socket of sockets) socket.close();
  }, args.seconds * 1000);
}, args.warmupSeconds * 1000);
