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
  /** The server's CPU time so far (seconds), to report how busy it was during the run. */
  readonly serverCpuSeconds?: () => number;
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
  /**
   * CPU use during the run, as a share of one core: this load generator's (writer and every
   * watch stream's reader) and the server's. A client near 100% would be what limits the run.
   */
  readonly clientCpuPercent: number;
  readonly serverCpuPercent: number | undefined;
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

  const planned = Math.round(o.ratePerSecond * o.seconds);
  const received = new Deliveries(o.shape === 'per-node' ? planned : planned * o.watchers);
  const streams = await openWatchers(o, startRevision, (rv, at) => received.add(rv, at));

  const ackAt = new Map<number, number>();
  const inFlight = new Set<Promise<void>>();
  const start = now();
  const clientCpuAtStart = process.cpuUsage();
  const serverCpuAtStart = o.serverCpuSeconds?.();
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
  while (received.count < expected && now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const runSeconds = (now() - start) / 1000;
  const clientCpu = process.cpuUsage(clientCpuAtStart);
  const clientCpuPercent = ((clientCpu.user + clientCpu.system) / 1e6 / runSeconds) * 100;
  const serverCpuPercent =
    serverCpuAtStart === undefined || !o.serverCpuSeconds
      ? undefined
      : ((o.serverCpuSeconds() - serverCpuAtStart) / runSeconds) * 100;
  const endedEarly = streams.stop();
  client.close();

  const latencies = new Float64Array(received.count);
  let delivered = 0;
  let beforeAck = 0;
  for (let i = 0; i < received.count; i++) {
    const ack = ackAt.get(received.revision(i));
    if (ack === undefined) continue;
    const latency = received.time(i) - ack;
    if (latency < 0) beforeAck++;
    latencies[delivered++] = Math.max(0, latency);
  }
  return {
    latenciesMs: latencies.subarray(0, delivered),
    expected,
    delivered,
    beforeAck,
    writes: total,
    achievedRate: total / elapsed,
    endedEarly,
    clientCpuPercent,
    serverCpuPercent,
  };
}

/**
 * Every (resourceVersion, arrival time) the watchers read, in typed arrays sized for the whole
 * run up front: plain arrays grown to millions of entries mid-run made the load generator copy
 * and collect them while it was timing deliveries, and its pauses showed up as latency.
 */
class Deliveries {
  count = 0;
  private revisions: Float64Array;
  private times: Float64Array;

  constructor(expected: number) {
    this.revisions = new Float64Array(Math.max(1024, expected));
    this.times = new Float64Array(this.revisions.length);
  }

  add(resourceVersion: number, at: number): void {
    if (this.count === this.revisions.length) this.grow();
    this.revisions[this.count] = resourceVersion;
    this.times[this.count] = at;
    this.count++;
  }

  revision(i: number): number {
    return this.revisions[i] ?? Number.NaN;
  }

  time(i: number): number {
    return this.times[i] ?? Number.NaN;
  }

  /** Only if more arrive than the run could produce (a server repeating events). */
  private grow(): void {
    const revisions = new Float64Array(this.revisions.length * 2);
    const times = new Float64Array(revisions.length);
    revisions.set(this.revisions);
    times.set(this.times);
    this.revisions = revisions;
    this.times = times;
  }
}

function revisionIn(text: string): number {
  const match = /"resourceVersion":"(\d+)"/.exec(text);
  if (!match?.[1]) throw new Error(`no resourceVersion in ${text.slice(0, 200)}`);
  return Number(match[1]);
}

/**
 * Reports the resourceVersion of each complete line in `buf` from `from` on, without parsing
 * the JSON (the client must stay cheaper than the server it measures); returns where the
 * incomplete last line, if any, starts.
 */
function scanLines(
  buf: Buffer,
  from: number,
  at: number,
  onEvent: (resourceVersion: number, at: number) => void,
): number {
  let lineStart = from;
  for (let nl = buf.indexOf(10, lineStart); nl >= 0; nl = buf.indexOf(10, lineStart)) {
    // One pod per event line, so its first resourceVersion is the object's.
    const field = buf.indexOf(RV_FIELD, lineStart);
    if (field >= 0 && field < nl) {
      const value = field + RV_FIELD.length;
      onEvent(Number(buf.toString('latin1', value, buf.indexOf(34, value))), at);
    }
    lineStart = nl + 1;
  }
  return lineStart;
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
        // The start of a line the previous chunk cut off (chunks need not end at a line's end).
        let pending: Buffer = Buffer.alloc(0);
        res.on('data', (chunk: Buffer) => {
          const at = now();
          let from = 0;
          if (pending.length > 0) {
            // Complete the cut line with this chunk's first bytes only, rather than copying the
            // whole chunk behind it: a batch of events can span many chunks.
            const nl = chunk.indexOf(10);
            if (nl < 0) {
              pending = Buffer.concat([pending, chunk]);
              return;
            }
            scanLines(Buffer.concat([pending, chunk.subarray(0, nl + 1)]), 0, at, onEvent);
            from = nl + 1;
          }
          // Copied, so a few cut bytes do not keep the whole chunk alive until the next one.
          pending = Buffer.from(chunk.subarray(scanLines(chunk, from, at, onEvent)));
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
