// The etcd3 client as this backend needs it: no hidden retries, bounded calls, fast reconnects.
//
// etcd3's defaults retry every "recoverable" failure three times and put a circuit breaker in
// front of each host. Both are wrong for a compare-and-swap store: a retried txn whose first
// attempt did apply reports KeyExists/Conflict for a write that succeeded, and an open breaker
// keeps failing calls for seconds after etcd is back. So the backend makes exactly one attempt
// and reports UnavailableError; retrying is the caller's decision (the apiserver answers 503).
import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  readonly endpoints: readonly string[];
  /** Upper bound for one unary call, connecting included. */
  readonly requestTimeoutMs: number;
}

export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  return new Etcd3({
    hosts: [...options.endpoints],
    faultHandling: { host: () => noop, global: noop },
    // Streams (watches) have no deadline: they are meant to stay open. Unary calls get one, so
    // a frozen or black-holed etcd turns into an error instead of a hang.
    defaultCallOptions: (context) =>
      context.isStream ? {} : { deadline: Date.now() + options.requestTimeoutMs },
    grpcOptions: {
      // A list of many objects can exceed gRPC's 4 MiB default; etcd itself bounds responses.
      'grpc.max_receive_message_length': -1,
      // After an outage, reconnect within a second instead of gRPC's default (up to 2 minutes).
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1_000,
      // Our own subchannels: etcd3 discards a host's channels after a failure, and a fresh
      // channel must really dial again rather than inherit a shared one that is backing off.
      'grpc.use_local_subchannel_pool': 1,
      // Notice a dead peer on an idle watch stream. etcd's default enforcement allows pings
      // every 5 s only while a stream is open, hence no pings without calls.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.keepalive_permit_without_calls': 0,
    },
  });
}
