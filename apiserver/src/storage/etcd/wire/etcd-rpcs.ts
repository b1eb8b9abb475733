// The etcd RPCs the storage backend calls, each with its path and message types.
import { rpcMethod } from './etcd-codec.js';
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
} from './etcd-messages.js';

export const KV_RANGE = rpcMethod<RangeRequest, RangeResponse>(
  '/etcdserverpb.KV/Range',
  'etcdserverpb.RangeRequest',
  'etcdserverpb.RangeResponse',
);

export const KV_PUT = rpcMethod<PutRequest, PutResponse>(
  '/etcdserverpb.KV/Put',
  'etcdserverpb.PutRequest',
  'etcdserverpb.PutResponse',
);

export const KV_TXN = rpcMethod<TxnRequest, TxnResponse>(
  '/etcdserverpb.KV/Txn',
  'etcdserverpb.TxnRequest',
  'etcdserverpb.TxnResponse',
);

export const KV_COMPACT = rpcMethod<CompactionRequest, CompactionResponse>(
  '/etcdserverpb.KV/Compact',
  'etcdserverpb.CompactionRequest',
  'etcdserverpb.CompactionResponse',
);

/** Bidirectional: WatchRequests go up, WatchResponses come down, for as long as it stays open. */
export const WATCH = rpcMethod<WatchRequest, WatchResponse>(
  '/etcdserverpb.Watch/Watch',
  'etcdserverpb.WatchRequest',
  'etcdserverpb.WatchResponse',
);
