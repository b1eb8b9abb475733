// RESTClient, as client-go names it: one request to the apiserver with everything every
// request needs around it — the rate limiter, credentials, a timeout per attempt, retries that
// are safe (./retry.ts), and errors turned into ApiError. The resource clients build paths and
// bodies; this sends them.
import type { IncomingMessage } from 'node:http';
import { apiErrorFromResponse, errorMessage, realClock, type Clock, type Timer } from '@skiff/api';
import { AuthHeader } from './auth-header.js';
import {
  DEFAULT_BURST,
  DEFAULT_NAMESPACE,
  DEFAULT_QPS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type RestConfig,
  type RetryConfig,
} from './config.js';
import {
  TokenBucketRateLimiter,
  unlimitedRequests,
  type RequestRateLimiter,
} from './rate-limiter.js';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay, type Outcome } from './retry.js';
import { HttpTransport, readBody, type Transport } from './transport.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  readonly method: Method;
  /** An already-encoded path such as `/api/v1/namespaces/a/pods` (see ./paths.ts). */
  readonly path: string;
  readonly query?: URLSearchParams;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** The media types to ask for (default `application/json`), e.g. a meta/v1 Table. */
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

/** A response whose body is still arriving: a watch. Call close() once done with it. */
export interface OpenStream {
  readonly body: AsyncIterable<Uint8Array>;
  close(): void;
}

/** What a resource client needs to talk to the server; RestClient is the real one. */
export interface RequestSender {
  /** Sends the request and decodes the JSON answer; non-2xx answers throw ApiError. */
  json<T>(request: RestRequest): Promise<T>;
  /** Sends the request and hands back the body as it streams in (for watches). */
  stream(request: RestRequest): Promise<OpenStream>;
}

export class RequestTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The server could not be reached, or the connection broke before it answered. */
export class ConnectionError extends Error {
  /** The system error code (`ECONNREFUSED`, `ECONNRESET`, …) when there is one. */
  readonly code: string | undefined;

  constructor(what: string, cause: unknown) {
    super(`${what}: ${errorMessage(cause)}`, { cause });
    this.name = 'ConnectionError';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

export class RestClient implements RequestSender {
  readonly clock: Clock;
  /** The namespace a context names, used when a caller gives none. */
  readonly namespace: string;
  private readonly transport: Transport;
  private readonly limiter: RequestRateLimiter;
  private readonly auth: AuthHeader;
  private readonly retry: Required<RetryConfig>;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  /** `transport` defaults to node:http(s) to config.server; tests may hand in their own. */
  constructor(
    readonly config: RestConfig,
    transport?: Transport,
  ) {
    this.clock = config.clock ?? realClock;
    this.namespace = config.namespace || DEFAULT_NAMESPACE;
    this.transport = transport ?? new HttpTransport(config.server, config.tls);
    this.limiter = config.rateLimiter ?? limiterFor(config, this.clock);
    this.auth = new AuthHeader(config.credentials ?? {}, this.clock);
    this.retry = { ...DEFAULT_RETRY, ...config.retry };
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.userAgent = config.userAgent ?? DEFAULT_USER_AGENT;
  }

  /** Sends the request and decodes the JSON answer; non-2xx answers throw ApiError. */
  async json<T>(request: RestRequest): Promise<T> {
    const { res, attempt } = await this.open(request);
    let text: string;
    try {
      text = await readBody(res);
    } catch (err) {
      throw attempt.failure(err, describe(request));
    } finally {
      attempt.dispose();
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`${describe(request)}: the answer is not JSON: ${text.slice(0, 200)}`, {
        cause: err,
      });
    }
  }

  /** Sends the request and hands back the body as it streams in (for watches). */
  async stream(request: RestRequest): Promise<OpenStream> {
    const { res, attempt } = await this.open(request);
    // The timeout guards getting an answer; a watch then legitimately stays open for minutes.
    attempt.stopTimer();
    return {
      body: res,
      close: () => {
        res.destroy();
        attempt.dispose();
      },
    };
  }

  /** Closes idle connections; in-flight requests finish. */
  close(): void {
    this.transport.close();
  }

  private async open(request: RestRequest): Promise<{ res: IncomingMessage; attempt: Attempt }> {
    const what = describe(request);
    const query = request.query?.toString();
    const path = query ? `${request.path}?${query}` : request.path;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    for (let n = 1; ; n++) {
      await this.limiter.wait(request.signal);
      const headers = await this.headers(request, body !== undefined);
      const attempt = new Attempt(request.signal, this.timeoutMs, this.clock);
      let res: IncomingMessage;
      try {
        res = await this.transport.send({
          method: request.method,
          path,
          headers,
          body,
          ...(request.signal && { signal: request.signal }),
          abortable: attempt.abortable,
        });
      } catch (err) {
        attempt.dispose();
        const failure = attempt.failure(err, what);
        if (failure !== err) throw failure;
        const delay = retryDelay(request.method, { kind: 'error', error: err }, n, this.retry);
        if (delay === undefined) throw new ConnectionError(what, err);
        await this.clock.sleep(delay, request.signal);
        continue;
      }
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return { res, attempt };

      let text: string;
      try {
        text = await readBody(res);
      } catch (err) {
        throw attempt.failure(err, what);
      } finally {
        attempt.dispose();
      }
      const error = apiErrorFromResponse(status, text, parseRetryAfter(res.headers['retry-after']));
      const outcome: Outcome = {
        kind: 'response',
        status,
        retryAfterSeconds: error.retryAfterSeconds,
      };
      const delay = retryDelay(request.method, outcome, n, this.retry);
      if (delay === undefined) throw error;
      await this.clock.sleep(delay, request.signal);
    }
  }

  private async headers(request: RestRequest, hasBody: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: request.accept ?? 'application/json',
      'user-agent': this.userAgent,
    };
    if (hasBody) headers['content-type'] = request.contentType ?? 'application/json';
    const authorization = await this.auth.value();
    if (authorization) headers.authorization = authorization;
    return headers;
  }
}

function limiterFor(config: RestConfig, clock: Clock): RequestRateLimiter {
  const qps = config.qps ?? DEFAULT_QPS;
  if (qps === Infinity) return unlimitedRequests;
  return new TokenBucketRateLimiter(qps, config.burst ?? DEFAULT_BURST, clock);
}

function describe(request: RestRequest): string {
  return `${request.method} ${request.path}`;
}

/**
 * One try of a request: ended when the caller's signal aborts (the transport watches that
 * signal itself) or when the timeout passes, and says which of the two (or neither) explains a
 * failure.
 */
class Attempt {
  private timer: Timer | undefined;
  private timedOut = false;
  private abortRequest: ((reason: Error) => void) | undefined;
  /** Given to the transport, which hands back how to end the request. */
  readonly abortable = (abort: (reason: Error) => void): void => {
    this.abortRequest = abort;
  };

  constructor(
    private readonly parent: AbortSignal | undefined,
    private readonly timeoutMs: number,
    clock: Clock,
  ) {
    if (timeoutMs > 0) {
      this.timer = clock.setTimer(timeoutMs, () => {
        this.timedOut = true;
        this.abortRequest?.(new RequestTimeoutError('request', timeoutMs));
      });
    }
  }

  stopTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    this.abortRequest = undefined;
  }

  /** The error to surface for `err`: the caller's abort reason, a timeout, or err itself. */
  failure(err: unknown, what: string): unknown {
    if (this.parent?.aborted) return this.parent.reason;
    if (this.timedOut) return new RequestTimeoutError(what, this.timeoutMs);
    return err;
  }
}
