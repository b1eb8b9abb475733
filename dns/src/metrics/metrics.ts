// CoreDNS's metric names and labels, so dashboards and alerts written for CoreDNS read skiff's:
// coredns_dns_requests_total, coredns_dns_responses_total{rcode}, the request duration
// histogram, the cache's hits and misses, and the forwarder's requests per upstream. There is
// one server block here (`.:53`), so `zone` is always `.` as in CoreDNS's default Corefile.
import { Counter, Gauge, Histogram, exponentialBuckets, type Registry } from 'prom-client';
import type { CacheHitType } from '../forward/cache.js';
import type { ForwarderMetrics } from '../forward/forwarder.js';
import { CounterSeries, HistogramSeries } from './series.js';

/** RFC 1035/6895 names of the response codes, as CoreDNS labels them. */
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
export const rcodeName = (rcode: number): string => RCODES[rcode] ?? `RCODE${rcode}`;

/** The query types CoreDNS counts by name; everything else is `other`, bounding the series. */
const COUNTED_TYPES = new Set([
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'NS',
  'PTR',
  'SOA',
  'SRV',
  'TXT',
  'HTTPS',
  'ANY',
]);
export const typeLabel = (type: string): string => (COUNTED_TYPES.has(type) ? type : 'other');

export type Plugin = 'kubernetes' | 'forward' | 'cache' | '';

export class DnsMetrics implements ForwarderMetrics {
  private readonly requests: CounterSeries;
  private readonly responses: CounterSeries;
  private readonly duration: HistogramSeries;
  private readonly cacheHits: Counter<'server' | 'type'>;
  private readonly cacheMisses: Counter<'server'>;
  private readonly forwardRequests: Counter<'to'>;
  private readonly forwardResponses: Counter<'to' | 'rcode'>;
  private readonly forwardDuration: Histogram<'to' | 'rcode'>;

  constructor(
    registry: Registry,
    private readonly server: string,
    cacheSize: () => number,
  ) {
    const registers = [registry];
    this.requests = new CounterSeries(
      registry,
      'coredns_dns_requests_total',
      'Counter of DNS requests made per zone, protocol and family.',
    );
    this.responses = new CounterSeries(
      registry,
      'coredns_dns_responses_total',
      'Counter of response status codes.',
    );
    this.duration = new HistogramSeries(
      registry,
      'coredns_dns_request_duration_seconds',
      'Histogram of the time (in seconds) each request took per zone.',
      // CoreDNS's buckets: 0.25 ms doubling to about 8 s.
      exponentialBuckets(0.00025, 2, 16),
    );
    this.cacheHits = new Counter({
      name: 'coredns_cache_hits_total',
      help: 'The count of cache hits.',
      labelNames: ['server', 'type'],
      registers,
    });
    this.cacheMisses = new Counter({
      name: 'coredns_cache_misses_total',
      help: 'The count of cache misses.',
      labelNames: ['server'],
      registers,
    });
    new Gauge({
      name: 'coredns_cache_entries',
      help: 'The number of elements in the cache.',
      labelNames: ['server', 'type'],
      registers,
      collect() {
        this.set({ server, type: 'all' }, cacheSize());
      },
    });
    this.forwardRequests = new Counter({
      name: 'coredns_forward_requests_total',
      help: 'Counter of requests made per upstream.',
      labelNames: ['to'],
      registers,
    });
    this.forwardResponses = new Counter({
      name: 'coredns_forward_responses_total',
      help: 'Counter of responses received per upstream.',
      labelNames: ['to', 'rcode'],
      registers,
    });
    this.forwardDuration = new Histogram({
      name: 'coredns_forward_request_duration_seconds',
      help: 'Histogram of the time each request took.',
      labelNames: ['to', 'rcode'],
      buckets: exponentialBuckets(0.00025, 2, 16),
      registers,
    });
  }

  // Per query: series found by a string key, labels built once per series (see series.ts).
  request(proto: 'udp' | 'tcp', family: 4 | 6, type: string): void {
    this.requests.inc(`${proto}/${family}/${type}`, () => ({
      server: this.server,
      zone: '.',
      proto,
      family: family === 4 ? '1' : '2',
      type: typeLabel(type),
    }));
  }

  response(rcode: number, plugin: Plugin, type: string, seconds: number): void {
    this.responses.inc(`${rcode}/${plugin}`, () => ({
      server: this.server,
      zone: '.',
      rcode: rcodeName(rcode),
      plugin,
    }));
    const label = typeLabel(type);
    this.duration.observe(label, () => ({ server: this.server, zone: '.', type: label }), seconds);
  }

  cacheHit(type: CacheHitType): void {
    this.cacheHits.inc({ server: this.server, type });
  }

  cacheMiss(): void {
    this.cacheMisses.inc({ server: this.server });
  }

  upstreamRequest(to: string): void {
    this.forwardRequests.inc({ to });
  }

  upstreamResponse(to: string, rcode: number, seconds: number): void {
    this.forwardResponses.inc({ to, rcode: rcodeName(rcode) });
    this.forwardDuration.observe({ to, rcode: rcodeName(rcode) }, seconds);
  }
}
