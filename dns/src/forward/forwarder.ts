// The forwarder: a question outside the cluster goes to the upstreams, in order, each with a
// timeout, until one answers (CoreDNS's `forward` plugin, `policy sequential`); the answer is
// cached by its TTLs. An upstream that just failed goes to the back of the line for a while, so
// a dead first nameserver does not cost every query its timeout. Identical questions in flight share one upstream exchange. When no
// upstream answers, the caller gets UpstreamError and the client a SERVFAIL.
import { randomInt } from 'node:crypto';
import type { Clock } from '@skiff/api';
import type { DecodedPacket, Question } from 'dns-packet';
import type { CachedAnswer, CacheHitType, ResponseCache } from './cache.js';
import { exchangeTcp, exchangeUdp, UpstreamError } from './exchange.js';
import { formatHostPort } from '../host-port.js';
import type { Upstream } from './upstream.js';

export interface ForwarderMetrics {
  cacheHit(type: CacheHitType): void;
  cacheMiss(): void;
  upstreamRequest(to: string): void;
  upstreamResponse(to: string, rcode: number, seconds: number): void;
}

export interface ForwarderOptions {
  readonly upstreams: readonly Upstream[];
  readonly cache: ResponseCache;
  readonly clock: Clock;
  /** Per upstream and attempt; CoreDNS's forward plugin reads for 2 s. */
  readonly timeoutMs: number;
  readonly metrics?: ForwarderMetrics;
  readonly log?: (message: string) => void;
}

export interface Forwarded extends CachedAnswer {
  /** Where the answer came from: `cache`, or the upstream's `host:port`. */
  readonly from: string;
}

const RCODE_MASK = 0xf;
/** How long a failed upstream is asked only after the others. */
export const UPSTREAM_PENALTY_MS = 30_000;

export class Forwarder {
  private readonly inFlight = new Map<string, Promise<Forwarded>>();
  /** Upstream (`host:port`) → until when it is asked last. */
  private readonly failedUntil = new Map<string, number>();

  constructor(private readonly options: ForwarderOptions) {}

  async forward(question: Question): Promise<Forwarded> {
    const key = `${question.type}/${question.class ?? 'IN'}/${question.name.toLowerCase()}`;
    const hit = this.options.cache.get(key);
    if (hit) {
      this.options.metrics?.cacheHit(hit.type);
      return { ...hit.answer, from: 'cache' };
    }
    this.options.metrics?.cacheMiss();
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const exchange = this.ask(question).then((answer) => {
      this.options.cache.put(key, answer);
      return answer;
    });
    this.inFlight.set(key, exchange);
    try {
      return await exchange;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async ask(question: Question): Promise<Forwarded> {
    if (this.options.upstreams.length === 0)
      throw new UpstreamError('no upstream resolvers configured');
    const failures: string[] = [];
    for (const upstream of this.inOrder()) {
      const to = formatHostPort(upstream);
      const started = this.options.clock.now();
      try {
        this.options.metrics?.upstreamRequest(to);
        const reply = await this.exchange(upstream, question);
        const rcode = (reply.flags ?? 0) & RCODE_MASK;
        this.options.metrics?.upstreamResponse(
          to,
          rcode,
          (this.options.clock.now() - started) / 1000,
        );
        this.failedUntil.delete(to);
        return {
          rcode,
          answers: reply.answers ?? [],
          authorities: reply.authorities ?? [],
          // The upstream's OPT record is its own; the server writes ours to the client.
          additionals: (reply.additionals ?? []).filter((r) => r.type !== 'OPT'),
          from: to,
        };
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        failures.push(err.message);
        this.failedUntil.set(to, this.options.clock.now() + UPSTREAM_PENALTY_MS);
      }
    }
    const message = `${question.name} ${question.type}: no upstream answered (${failures.join('; ')})`;
    this.options.log?.(message);
    throw new UpstreamError(message);
  }

  /** The upstreams as configured, those that failed lately moved behind the others. */
  private inOrder(): Upstream[] {
    const now = this.options.clock.now();
    const penalized = (u: Upstream): boolean =>
      (this.failedUntil.get(formatHostPort(u)) ?? 0) > now;
    const upstreams = this.options.upstreams;
    return [...upstreams.filter((u) => !penalized(u)), ...upstreams.filter(penalized)];
  }

  /** UDP first; an answer too big for a datagram (TC) is asked again over TCP. */
  private async exchange(upstream: Upstream, question: Question): Promise<DecodedPacket> {
    const { clock, timeoutMs } = this.options;
    const reply = await exchangeUdp(upstream, randomInt(0, 0x10000), question, {
      clock,
      timeoutMs,
    });
    if (!reply.flag_tc) return reply;
    return exchangeTcp(upstream, randomInt(0, 0x10000), question, { clock, timeoutMs });
  }
}
