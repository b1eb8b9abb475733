// The forwarder's cache (CoreDNS's `cache` plugin): an upstream answer is kept as long as its
// smallest TTL, a denial (NXDOMAIN, NODATA) as long as its SOA allows (RFC 2308), and each hit
// gives the TTLs that are left, so a client never caches a record longer than the origin said.
// SERVFAIL and other failures are not kept. Time is the injected clock's.
import type { Clock } from '@skiff/api';
import type { Answer } from 'dns-packet';

export interface CachedAnswer {
  readonly rcode: number;
  readonly answers: readonly Answer[];
  readonly authorities: readonly Answer[];
  readonly additionals: readonly Answer[];
}

export type CacheHitType = 'success' | 'denial';

interface Entry {
  readonly answer: CachedAnswer;
  readonly type: CacheHitType;
  readonly storedAt: number;
  readonly ttl: number;
}

export interface ResponseCacheOptions {
  readonly clock: Clock;
  /** Entries kept at most; the oldest goes first. CoreDNS's default capacity is 9984. */
  readonly capacity?: number;
  /** CoreDNS's caps: 3600 s for answers, 1800 s for denials. */
  readonly maxSuccessTtl?: number;
  readonly maxDenialTtl?: number;
}

const NOERROR = 0;
const NXDOMAIN = 3;

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;

  constructor(private readonly options: ResponseCacheOptions) {
    this.capacity = options.capacity ?? 9984;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The answer with its remaining TTLs, or undefined when absent or expired. */
  get(key: string): { answer: CachedAnswer; type: CacheHitType } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const elapsed = Math.floor((this.options.clock.now() - entry.storedAt) / 1000);
    if (elapsed >= entry.ttl) {
      this.entries.delete(key);
      return undefined;
    }
    const age = (records: readonly Answer[]): Answer[] =>
      records.map((r) => ('ttl' in r ? { ...r, ttl: Math.max(0, (r.ttl ?? 0) - elapsed) } : r));
    const { answer } = entry;
    return {
      type: entry.type,
      answer: {
        rcode: answer.rcode,
        answers: age(answer.answers),
        authorities: age(answer.authorities),
        additionals: age(answer.additionals),
      },
    };
  }

  put(key: string, answer: CachedAnswer): void {
    const kept = cacheable(answer, this.options);
    if (!kept) return;
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { answer, ...kept, storedAt: this.options.clock.now() });
  }
}

function cacheable(
  answer: CachedAnswer,
  options: ResponseCacheOptions,
): { type: CacheHitType; ttl: number } | undefined {
  const ttls = (records: readonly Answer[]): number[] =>
    records.flatMap((r) => (r.type !== 'OPT' && 'ttl' in r ? [r.ttl ?? 0] : []));
  if (answer.rcode === NOERROR && answer.answers.length > 0) {
    const ttl = Math.min(...ttls(answer.answers), options.maxSuccessTtl ?? 3600);
    return ttl > 0 ? { type: 'success', ttl } : undefined;
  }
  if (answer.rcode !== NXDOMAIN && answer.rcode !== NOERROR) return undefined;
  const soa = answer.authorities.find((r) => r.type === 'SOA');
  if (soa?.type !== 'SOA') return undefined;
  const ttl = Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0, options.maxDenialTtl ?? 1800);
  return ttl > 0 ? { type: 'denial', ttl } : undefined;
}
