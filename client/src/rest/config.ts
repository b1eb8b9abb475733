// What a client needs to reach one apiserver: where, how to prove who it is, and how politely
// to behave (rate limit, retries, timeouts). A kubeconfig resolves to one of these
// (../kubeconfig/), and so can a test that points at a server it just started.
import type { Clock } from '@skiff/api';
import type { RequestRateLimiter } from './rate-limiter.js';

export interface TlsConfig {
  /** PEM certificates of the CAs that may sign the server's certificate (else the system's). */
  readonly ca?: string | Buffer;
  /** PEM client certificate and key, for servers that authenticate clients by certificate. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Accept any server certificate. For labs only: anyone in between can read everything. */
  readonly insecureSkipTlsVerify?: boolean;
  /** The name to check the server's certificate against when it differs from the URL's host. */
  readonly serverName?: string;
}

export interface Credentials {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Re-read now and then, so a rotated token (projected service account tokens) is picked up. */
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface RetryConfig {
  /** Attempts in all, the first one included (default 5). 1 turns retries off. */
  readonly maxAttempts?: number;
  /** The first backoff after a 5xx or a connection error; it doubles up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface RestConfig {
  /** The apiserver's base URL, e.g. `https://10.0.0.1:6443`. */
  readonly server: string;
  readonly tls?: TlsConfig;
  readonly credentials?: Credentials;
  /** The namespace typed helpers use when none is given (a context's namespace; `default`). */
  readonly namespace?: string;
  /** Sustained requests per second (default 5, like client-go); Infinity turns limiting off. */
  readonly qps?: number;
  /** Requests allowed in a burst above qps (default 10). */
  readonly burst?: number;
  /** Share one limiter between clients; overrides qps/burst. */
  readonly rateLimiter?: RequestRateLimiter;
  readonly retry?: RetryConfig;
  /** How long a request may take, watches excepted once their stream has started (60 s; 0: no limit). */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Rate limiting, backoff and timeouts wait on this clock (tests use a FakeClock). */
  readonly clock?: Clock;
}

export const DEFAULT_QPS = 5;
export const DEFAULT_BURST = 10;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_USER_AGENT = 'skiff-client/0.1';
