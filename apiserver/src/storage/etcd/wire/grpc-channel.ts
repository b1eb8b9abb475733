// gRPC over node:http2 for etcd, with what the storage backend needs and nothing more:
//
// - Endpoints: one connection (one HTTP/2 session) per endpoint, used one at a time. Calls go to
//   the endpoint that last worked; when its connection is gone they connect again, trying the
//   endpoints in order from there. Moving on after a failed *connect* is safe because nothing
//   was sent. A call that was sent is never retried, here or anywhere: a txn that etcd applied
//   before the answer was lost would report Conflict/KeyExists when retried (../README.md).
// - Deadlines: every unary call fails with DEADLINE_EXCEEDED after requestTimeoutMs, connecting
//   included, and its stream is reset. All calls share one timeout, so deadlines come in the
//   order calls start: one timer for the oldest call in flight serves all of them, instead of a
//   timer per call.
// - Streams (watches) have no deadline: they are meant to stay open.
import type { Clock, Timer } from '@skiff/api';
import type { RpcMethod } from './etcd-codec.js';
import { GrpcConnection, type LiveSession } from './grpc-connection.js';
import { GrpcStream, type GrpcStreamHandlers } from './grpc-stream.js';
import { errorText, EtcdRpcError, GrpcStatus } from './grpc-status.js';
import { GRPC_REQUEST_HEADERS, UnaryCall, type CallTracker } from './grpc-unary-call.js';

export interface GrpcChannelOptions {
  /** URLs such as `http://127.0.0.1:2379`. */
  readonly endpoints: readonly string[];
  /** Upper bound for one unary call, connecting included; also bounds one connection attempt. */
  readonly requestTimeoutMs: number;
  readonly clock: Clock;
}

export class GrpcChannel implements CallTracker {
  private readonly connections: readonly GrpcConnection[];
  private preferred = 0;
  private connecting: Promise<LiveSession> | undefined;
  /** Unary calls not settled yet, oldest (= earliest deadline) first. */
  private readonly inFlight = new Set<UnaryCall<unknown>>();
  private deadlineTimer: Timer | undefined;
  private readonly headers = new Map<string, Readonly<Record<string, string>>>();
  private closed = false;

  constructor(private readonly options: GrpcChannelOptions) {
    if (options.endpoints.length === 0) throw new Error('GrpcChannel needs at least one endpoint');
    this.connections = options.endpoints.map(
      (endpoint) =>
        new GrpcConnection(endpoint, {
          clock: options.clock,
          connectTimeoutMs: options.requestTimeoutMs,
        }),
    );
  }

  unary<Request, Response>(
    method: RpcMethod<Request, Response>,
    request: Request,
  ): Promise<Response> {
    if (this.closed) return Promise.reject(closedError());
    const frame = method.encode(request);
    const headers = this.headersFor(method.path);
    const deadline = this.options.clock.now() + this.options.requestTimeoutMs;
    return new Promise<Response>((resolve, reject) => {
      const call = new UnaryCall<Response>(method, deadline, this, resolve, reject);
      this.track(call as UnaryCall<unknown>);
      const session = this.session();
      if (session instanceof Promise) {
        session.then(
          (live) => call.start(live, headers, frame),
          (err: unknown) => call.fail(asUnavailable(err)),
        );
      } else {
        call.start(session, headers, frame);
      }
    });
  }

  /** A bidirectional stream; connection failures arrive through `handlers.onEnd`. */
  stream<Request, Response>(
    method: RpcMethod<Request, Response>,
    handlers: GrpcStreamHandlers<Response>,
  ): GrpcStream<Request, Response> {
    const stream = new GrpcStream(method, handlers);
    if (this.closed) {
      // Reported asynchronously, like every other way a stream can end.
      queueMicrotask(() => stream.attachFailed(closedError()));
      return stream;
    }
    const session = this.session();
    if (session instanceof Promise) {
      session.then(
        (live) => stream.attach(live),
        (err: unknown) => stream.attachFailed(asUnavailable(err)),
      );
    } else {
      stream.attach(session);
    }
    return stream;
  }

  /** Fail every call in flight, close every connection; later calls fail at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.deadlineTimer?.cancel();
    for (const call of this.inFlight) call.fail(closedError());
    for (const connection of this.connections) connection.close();
  }

  settled(call: UnaryCall<unknown>): void {
    this.inFlight.delete(call);
  }

  /** The connected session to use; a promise only when a connection must be made first. */
  private session(): LiveSession | Promise<LiveSession> {
    const live = this.connections[this.preferred]?.ready();
    if (live) return live;
    this.connecting ??= this.connectAny().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectAny(): Promise<LiveSession> {
    const failures: string[] = [];
    const count = this.connections.length;
    for (let i = 0; i < count; i++) {
      const index = (this.preferred + i) % count;
      const connection = this.connections[index];
      if (!connection) continue;
      try {
        const live = await connection.connect();
        this.preferred = index;
        return live;
      } catch (err) {
        failures.push(errorText(err));
      }
    }
    throw new EtcdRpcError(GrpcStatus.UNAVAILABLE, failures.join('; '));
  }

  private track(call: UnaryCall<unknown>): void {
    this.inFlight.add(call);
    this.deadlineTimer ??= this.options.clock.setTimer(this.options.requestTimeoutMs, () =>
      this.expireDue(),
    );
  }

  private expireDue(): void {
    this.deadlineTimer = undefined;
    const now = this.options.clock.now();
    for (const call of this.inFlight) {
      if (call.deadline > now) {
        this.deadlineTimer = this.options.clock.setTimer(call.deadline - now, () =>
          this.expireDue(),
        );
        return;
      }
      call.expire(this.options.requestTimeoutMs); // removes it from inFlight
    }
  }

  private headersFor(path: string): Readonly<Record<string, string>> {
    let headers = this.headers.get(path);
    if (!headers) {
      headers = { ...GRPC_REQUEST_HEADERS, ':path': path };
      this.headers.set(path, headers);
    }
    return headers;
  }
}

function closedError(): EtcdRpcError {
  return new EtcdRpcError(GrpcStatus.CANCELLED, 'etcd client closed');
}

function asUnavailable(err: unknown): EtcdRpcError {
  return err instanceof EtcdRpcError
    ? err
    : new EtcdRpcError(GrpcStatus.UNAVAILABLE, errorText(err), { cause: err });
}
