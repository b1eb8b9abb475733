// startDns: the cluster DNS server as one stoppable handle — the informers keeping the
// cluster's records, the forwarder with its cache, UDP and TCP listeners on every address, and
// /healthz, /readyz, /metrics. `skiff dns` runs it on its own; `skiff up` can run it inside.
import type { AddressInfo } from 'node:net';
import { realClock, type Clock } from '@skiff/api';
import { serveHttpEndpoints, type Client, type HttpEndpoints } from '@skiff/client';
import { Registry } from 'prom-client';
import { watchCluster } from './cluster/informers.js';
import { ResponseCache } from './forward/cache.js';
import { Forwarder } from './forward/forwarder.js';
import { formatHostPort, type HostPort } from './host-port.js';
import { DnsMetrics } from './metrics/metrics.js';
import { canonicalName } from './names.js';
import { QueryHandler } from './server/handler.js';
import { listenTcp } from './server/tcp.js';
import { listenUdp, type Listener } from './server/udp.js';

export interface DnsOptions {
  readonly client: Client;
  /** Addresses to serve on, UDP and TCP each; port 0 picks a free one (the same for both). */
  readonly listen: readonly HostPort[];
  /** Default `cluster.local`. */
  readonly clusterDomain?: string;
  /** Resolvers for every name outside the cluster (see hostUpstreams()). */
  readonly upstreams: readonly HostPort[];
  /** TTL of cluster records; CoreDNS's kubernetes plugin defaults to 5 s. */
  readonly ttlSeconds?: number;
  /** How long one upstream gets to answer before the next is tried; default 2 s. */
  readonly upstreamTimeoutMs?: number;
  /** /healthz, /readyz and /metrics over HTTP; omitted: not served. */
  readonly http?: { readonly port: number; readonly host?: string };
  /**
   * How long to wait for the informers' first list before serving anyway (answers are then
   * NXDOMAIN for what is not known yet); CoreDNS waits 5 s. /readyz says when they synced.
   */
  readonly syncTimeoutMs?: number;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface DnsServer {
  /** The bound addresses, one per listen address (UDP and TCP share it). */
  readonly addresses: readonly AddressInfo[];
  /** `http://host:port` of /healthz, /readyz, /metrics, when served. */
  readonly httpUrl: string | undefined;
  /** The Prometheus registry of the coredns_* metrics. */
  readonly registry: Registry;
  /** True once Services and EndpointSlices are both listed. */
  ready(): boolean;
  stop(): Promise<void>;
}

const isUnspecified = (host: string): boolean => host === '0.0.0.0' || host === '::';

/**
 * UDP and TCP on one address and port. For port 0 the kernel picks the UDP port, and that port
 * may be taken for TCP: then both are given up and another port is tried.
 */
async function listenUdpAndTcp(
  at: HostPort,
  handler: QueryHandler,
  log: (message: string) => void,
): Promise<[Listener, Listener]> {
  for (let attempt = 1; ; attempt++) {
    const udp = await listenUdp(at, handler, log);
    try {
      return [udp, await listenTcp({ host: at.host, port: udp.address.port }, handler, log)];
    } catch (err) {
      await udp.close();
      const taken = err instanceof Error && 'code' in err && err.code === 'EADDRINUSE';
      if (at.port !== 0 || !taken || attempt >= 10) throw err;
    }
  }
}

export async function startDns(options: DnsOptions): Promise<DnsServer> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => undefined);
  const zone = {
    zone: canonicalName(options.clusterDomain ?? 'cluster.local'),
    ttl: options.ttlSeconds ?? 5,
  };
  const loop = options.upstreams.find((u) =>
    options.listen.some((l) => l.port === u.port && (l.host === u.host || isUnspecified(l.host))),
  );
  if (loop) {
    // A node whose own resolv.conf names the cluster DNS would send every outside name round
    // in a circle until the timeout (CoreDNS's `loop` plugin stops at the same point).
    throw new Error(
      `upstream ${formatHostPort(loop)} is where this server listens: it would forward to itself`,
    );
  }
  const cluster = watchCluster(options.client, { clock, log });
  const registry = new Registry();
  const cache = new ResponseCache({ clock });
  const first = options.listen[0];
  const metrics = new DnsMetrics(
    registry,
    `dns://${first ? formatHostPort(first) : ''}`,
    () => cache.size,
  );
  const forwarder = new Forwarder({
    upstreams: options.upstreams,
    cache,
    clock,
    timeoutMs: options.upstreamTimeoutMs ?? 2000,
    metrics,
    log,
  });
  const handler = new QueryHandler({ view: cluster.records, zone, forwarder, metrics });
  const listeners: Listener[] = [];
  let http: HttpEndpoints | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([...listeners.map((l) => l.close()), http?.close(), cluster.stop()]);
  };
  try {
    const giveUp = new AbortController();
    const timer = clock.setTimer(options.syncTimeoutMs ?? 5000, () => giveUp.abort());
    const synced = await cluster.waitForSync(giveUp.signal);
    timer.cancel();
    if (!synced) log('serving before the Service and EndpointSlice caches synced');
    for (const at of options.listen) listeners.push(...(await listenUdpAndTcp(at, handler, log)));
    if (options.http) {
      http = await serveHttpEndpoints(options.http, { ready: () => cluster.hasSynced(), registry });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    addresses: listeners.filter((_, i) => i % 2 === 0).map((l) => l.address),
    httpUrl: http?.url,
    registry,
    ready: () => cluster.hasSynced(),
    stop,
  };
}
