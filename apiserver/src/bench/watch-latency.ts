// Watch delivery latency over real HTTP: W watch streams (keep-alive) on pods while a writer
// patches pods at a fixed rate (open loop). Latency is from the moment the write's response
// (its acknowledgement) arrives to the moment a watcher reads the event carrying that
// resourceVersion. Two shapes:
//   per-node  every watcher filters spec.nodeName=<its node>, as kubelets do: each write reaches
//             one watcher (plus nothing else), so the load is what a 1,000-node cluster sees;
//   all       every watcher sees every pod: each write fans out to all W streams.
import { Agent, request, type ClientRequest } from 'node:http';
import { LoadClient } from './http-client.js';
import { podBodyFactory } from './pod-manifest.js';
import { runClosedLoop } from '../storage/bench/measure.js';

export type WatchShape = 'per-node' | 'all';

export interface WatchLatencyOptions {
  readonly baseUrl: string;
  readonly namespace: string;
  readonly shape: WatchShape;
  readonly watchers: number;
  readonly ratePerSecond: number;
  readonly seconds: number;
}

export interface WatchLatencyResult {
  /** Delivery latencies in ms (events that arrived before their write's ack count as 0). */
  readonly latenciesMs: Float64Array;
  readonly expected: number;
  readonly delivered: number;
  readonly beforeAck: number;
  readonly writes: number;
  readonly achievedRate: number;
  /** Streams the server ended before the run did (a watcher cut off as too slow). */
  readonly endedEarly: number;
}

const now = (): number => performance.now();
const RV_FIELD = Buffer.from('"resourceVersion":"');

export async function measureWatchLatency(o: WatchLatencyOptions): Promise<WatchLatencyResult> {
  const client = new LoadClient(o.baseUrl, 64);
  const pods = o.shape === 'per-node' ? o.watchers : Math.min(o.watchers, 100);
  await client.expect(
    201,
    'POST',
    '/api/v1/namespaces',
    JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } }),
  );
  // Pod i runs on node-i: in the per-node shape exactly one watcher sees it.
  let startRevision = 0;
  await runClosedLoop(pods, 32, async (i) => {
    const body = podBodyFactory(o.namespace, `node-${i}`)(`pod-${i}`);
    const text = await client.expect(201, 'POST', `/api/v1/namespaces/${o.namespace}/pods`, body);
    startRevision = Math.max(startRevision, revisionIn(text));
  });
  // Let the watch cache reach the last create, so the watches are served from the cache.
  await new Promise((resolve) => setTimeout(resolve, 500));

  const received: number[] = [];
  const receivedAt: number[] = [];
  const streams = await openWatchers(o, startRevision, (rv, at) => {
    received.push(rv);
    receivedAt.push(at);
  });

  const ackAt = new Map<number, number>();
  const planned = Math.round(o.ratePerSecond * o.seconds);
  const inFlight = new Set<Promise<void>>();
  const start = now();
  // The run lasts `seconds` whatever happens: a server that cannot keep up gets fewer writes
  // (reported as the achieved rate), not a longer benchmark.
  const stopAt = start + o.seconds * 1000;
  let total = 0;
  for (let i = 0; i < planned && now() < stopAt; i++, total++) {
    const due = start + (i * 1000) / o.ratePerSecond;
    const wait = due - now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // Open loop, but bounded: a server that falls far behind slows the writer, not memory.
    if (inFlight.size >= 256) await Promise.race(inFlight);
    const patch = JSON.stringify({ metadata: { annotations: { 'bench/seq': String(i) } } });
    const write = client
      .expect(
        200,
        'PATCH',
        `/api/v1/namespaces/${o.namespace}/pods/pod-${i % pods}`,
        patch,
        'application/merge-patch+json',
      )
      .then((text) => {
        ackAt.set(revisionIn(text), now());
      });
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
  }
  await Promise.all(inFlight);
  const elapsed = (now() - start) / 1000;
  const expected = o.shape === 'per-node' ? total : total * o.watchers;
  // Stragglers: give the streams a moment to deliver what is still queued.
  const deadline = now() + 3000;
  while (received.length < expected && now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const endedEarly = streams.stop();
  client.close();

  const latencies: number[] = [];
  let beforeAck = 0;
  for (let i = 0; i < received.length; i++) {
    const ack = ackAt.get(received[i] ?? -1);
    if (ack === undefined) continue;
    const latency = (receivedAt[i] ?? 0) - ack;
    if (latency < 0) beforeAck++;
    latencies.push(Math.max(0, latency));
  }
  return {
    latenciesMs: Float64Array.from(latencies),
    expected,
    delivered: latencies.length,
    beforeAck,
    writes: total,
    achievedRate: total / elapsed,
    endedEarly,
  };
}

function revisionIn(text: string): number {
  const match = /"resourceVersion":"(\d+)"/.exec(text);
  if (!match?.[1]) throw new Error(`no resourceVersion in ${text.slice(0, 200)}`);
  return Number(match[1]);
}

interface WatchStreams {
  /** Hangs up every stream; returns how many the server had already ended. */
  stop(): number;
}

async function openWatchers(
  o: WatchLatencyOptions,
  fromRevision: number,
  onEvent: (resourceVersion: number, at: number) => void,
): Promise<WatchStreams> {
  const url = new URL(o.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: o.watchers + 16 });
  const requests: ClientRequest[] = [];
  let ended = 0;
  let stopping = false;
  const opened = Array.from({ length: o.watchers }, (_, i) => {
    const selector =
      o.shape === 'per-node'
        ? `&fieldSelector=${encodeURIComponent(`spec.nodeName=node-${i}`)}`
        : '';
    const path =
      `/api/v1/namespaces/${o.namespace}/pods?watch=1&resourceVersion=${fromRevision}` +
      `&timeoutSeconds=${Math.ceil(o.seconds) + 120}${selector}`;
    return new Promise<void>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, agent }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path} answered ${res.statusCode}`));
          return;
        }
        let pending: Buffer = Buffer.alloc(0);
        res.on('data', (chunk: Buffer) => {
          const at = now();
          const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
          let lineStart = 0;
          for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, lineStart)) {
            // One pod per event line, so its first resourceVersion is the object's.
            const field = buf.indexOf(RV_FIELD, lineStart);
            if (field >= 0 && field < nl) {
              const from = field + RV_FIELD.length;
              onEvent(Number(buf.toString('latin1', from, buf.indexOf(34, from))), at);
            }
            lineStart = nl + 1;
          }
          pending = buf.subarray(lineStart);
        });
        // Either way the stream is over; hanging up ourselves (stop) is the only expected end.
        let over = false;
        const end = (): void => {
          if (!over && !stopping) ended++;
          over = true;
        };
        res.on('end', end);
        res.on('error', end);
        resolve();
      });
      req.on('error', (err) => {
        if (stopping) return;
        ended++;
        reject(err);
      });
      req.end();
      requests.push(req);
    });
  });
  await Promise.all(opened);
  return {
    stop() {
      stopping = true;
      for (const req of requests) req.destroy();
      agent.destroy();
      return ended;
    },
  };
}
