// What a failed etcd call means for the storage contract. etcd reports most conditions only as
// message text (wrapped in a gRPC status), so this matches on the texts etcd 3.4+ sends; the
// gRPC status code tells the rest: our client reports "never got an answer" (no connection,
// deadline, closed client) as UNAVAILABLE, DEADLINE_EXCEEDED or CANCELLED.
import { errorMessage } from '@skiff/api';
import { EtcdRpcError } from './wire/grpc-status.js';

export type EtcdFailure =
  /** The requested revision is older than etcd's last compaction. */
  | { readonly kind: 'compacted' }
  /** The requested revision is newer than etcd's current revision. */
  | { readonly kind: 'future' }
  /** etcd refused the request for its size (--max-request-bytes, counted on the whole request). */
  | { readonly kind: 'tooLarge' }
  /** etcd could not be reached or did not answer in time; the write may or may not have applied. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'internal'; readonly reason: string };

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';
const TOO_LARGE = ['request is too large', 'larger than max'];
/** etcd server conditions that clear up by themselves: the caller should retry later. */
const TRANSIENT = [
  'etcdserver: request timed out',
  'etcdserver: leader changed',
  'etcdserver: no leader',
  'etcdserver: server stopped',
  'etcdserver: too many requests',
  'etcdserver: not capable',
];

export function classifyEtcdError(err: unknown): EtcdFailure {
  const reason = errorMessage(err);
  if (reason.includes(COMPACTED)) return { kind: 'compacted' };
  if (reason.includes(FUTURE)) return { kind: 'future' };
  if (TOO_LARGE.some((text) => reason.includes(text))) return { kind: 'tooLarge' };
  if ((err instanceof EtcdRpcError && err.noAnswer) || TRANSIENT.some((t) => reason.includes(t))) {
    return { kind: 'unavailable', reason };
  }
  return { kind: 'internal', reason };
}
