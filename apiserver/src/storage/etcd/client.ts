// The etcd client as this backend needs it: etcd's KV and Watch services, typed, over our own
// lean gRPC channel (./wire/). It replaced the etcd3 npm client, which cost the apiserver about a
// quarter of its CPU per write (grpc-js call setup, async_hooks, Long→string conversions).
//
// Its rules are the backend's: exactly one attempt per call (a retried txn whose first attempt
// did apply would report KeyExists/Conflict for a write that succeeded, so retrying is the
// caller's decision: the apiserver answers 503), a deadline on every unary call so a frozen etcd
// gives an error rather than a hang, and quick reconnects after an outage (./wire/grpc-connection.ts).
import { realClock, type Clock } from '@skiff/api';
import type {
  CompactionRequest,
  CompactionResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchRequest,
  WatchResponse,
} from './wire/etcd-messages.js';
import { KV_COMPACT, KV_PUT, KV_RANGE, KV_TXN, WATCH } from './wire/etcd-rpcs.js';
import { GrpcChannel } from './wire/grpc-channel.js';
import type { GrpcStream, GrpcStreamHandlers } from './wire/grpc-stream.js';

export interface EtcdClientOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379`; a bare `host:port` means http. */
  readonly endpoints: readonly string[];
  /** Upper bound for one unary call, connecting included. */
  readonly requestTimeoutMs: number;
  /** Deadlines, reconnect backoff and keepalive run on this clock. Default: real time. */
  readonly clock?: Clock;
}

export type WatchStream = GrpcStream<WatchRequest, WatchResponse>;

export class EtcdClient {
  private readonly channel: GrpcChannel;

  constructor(options: EtcdClientOptions) {
    this.channel = new GrpcChannel({
      endpoints: options.endpoints.map(withScheme),
      requestTimeoutMs: options.requestTimeoutMs,
      clock: options.clock ?? realClock,
    });
  }

  range(request: RangeRequest): Promise<RangeResponse> {
    return this.channel.unary(KV_RANGE, request);
  }

  put(request: PutRequest): Promise<PutResponse> {
    return this.channel.unary(KV_PUT, request);
  }

  txn(request: TxnRequest): Promise<TxnResponse> {
    return this.channel.unary(KV_TXN, request);
  }

  compact(request: CompactionRequest): Promise<CompactionResponse> {
    return this.channel.unary(KV_COMPACT, request);
  }

  /** A Watch stream: write create requests, get responses until it ends or is cancelled. */
  watch(handlers: GrpcStreamHandlers<WatchResponse>): WatchStream {
    return this.channel.stream(WATCH, handlers);
  }

  /** Fail calls in flight and end streams; later calls fail at once. */
  close(): void {
    this.channel.close();
  }
}

function withScheme(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
}
