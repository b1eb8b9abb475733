// The one-time tokens of the streaming server, as Kubernetes' streaming server keeps them
// (pkg/kubelet/cri/streaming/request_cache.go): Exec, Attach and PortForward store their request
// under a random token and answer with a URL holding it; the first connection to that URL takes the
// request out. A token is good once and for one minute; at most 1000 wait at a time.
import { randomBytes } from 'node:crypto';
import type { Clock } from '@skiff/api';
import { RuntimeError } from '../containers/index.js';

/** How long a token stays valid (Kubernetes' CacheTTL). */
export const TOKEN_TTL_MS = 60_000;
/** How many unused tokens may wait at once (Kubernetes' maxInFlight). */
export const MAX_IN_FLIGHT = 1000;
/** Random bytes per token (Kubernetes' tokenLen); URL-safe base64 without padding. */
const TOKEN_BYTES = 8;

interface Entry<T> {
  readonly request: T;
  readonly expiresAt: number;
}

export class RequestCache<T> {
  /** Insertion order is expiry order: every entry lives the same TTL. */
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = TOKEN_TTL_MS,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

  /** Stores `request` and returns its token; ResourceExhausted when too many are waiting. */
  insert(request: T): string {
    this.dropExpired();
    if (this.entries.size >= this.maxInFlight) {
      throw new RuntimeError('ResourceExhausted', 'maximum number of in-flight requests exceeded');
    }
    let token = newToken();
    while (this.entries.has(token)) token = newToken();
    this.entries.set(token, { request, expiresAt: this.clock.now() + this.ttlMs });
    return token;
  }

  /** Takes the request out: undefined for a token never issued, already used, or expired. */
  consume(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    return entry.expiresAt < this.clock.now() ? undefined : entry.request;
  }

  get size(): number {
    this.dropExpired();
    return this.entries.size;
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [token, entry] of this.entries) {
      if (entry.expiresAt >= now) break;
      this.entries.delete(token);
    }
  }
}

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}
