// TypeScript shapes of the etcd messages in ./etcd-rpc-proto.ts, field names as etcd spells
// them. Requests are what we build (absent fields take protobuf defaults); responses are what
// ./etcd-codec.ts decodes: int64 as number (revisions stay far below 2^53), uint64 (cluster and
// member ids, random 64-bit numbers) as exact bigint, bytes as Buffer views, absent fields as
// their protobuf defaults (0, 0n, empty Buffer, false, ''), absent messages as null.

export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
export type CompareResult = (typeof CompareResult)[keyof typeof CompareResult];

export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;
export type CompareTarget = (typeof CompareTarget)[keyof typeof CompareTarget];

export const EventType = { PUT: 0, DELETE: 1 } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

// --- requests ---

export interface RangeRequest {
  readonly key: Uint8Array;
  /** Exclusive end of the range; a single NUL byte means "to the end of the keyspace". */
  readonly range_end?: Uint8Array;
  readonly limit?: number;
  /** Read at this revision; 0 (default) reads the current one. */
  readonly revision?: number;
  readonly count_only?: boolean;
}

export interface PutRequest {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly prev_kv?: boolean;
}

export interface DeleteRangeRequest {
  readonly key: Uint8Array;
  readonly range_end?: Uint8Array;
  readonly prev_kv?: boolean;
}

export type RequestOp =
  | { readonly request_range: RangeRequest }
  | { readonly request_put: PutRequest }
  | { readonly request_delete_range: DeleteRangeRequest };

/** One compare of a txn; set exactly the one value field that `target` names. */
export interface Compare {
  readonly key: Uint8Array;
  readonly target: CompareTarget;
  readonly result: CompareResult;
  readonly version?: number;
  readonly create_revision?: number;
  readonly mod_revision?: number;
}

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly RequestOp[];
  readonly failure: readonly RequestOp[];
}

export interface CompactionRequest {
  readonly revision: number;
  /** Wait until the compaction is applied to the backend, not just scheduled. */
  readonly physical?: boolean;
}

export interface WatchCreateRequest {
  readonly key: Uint8Array;
  readonly range_end?: Uint8Array;
  /** First revision to deliver; 0 (default) means from the next revision. */
  readonly start_revision?: number;
  readonly prev_kv?: boolean;
}

export type WatchRequest =
  | { readonly create_request: WatchCreateRequest }
  | { readonly cancel_request: { readonly watch_id: number } };

// --- responses ---

export interface ResponseHeader {
  readonly cluster_id: bigint;
  readonly member_id: bigint;
  /** etcd's current revision when it served the request. */
  readonly revision: number;
  readonly raft_term: bigint;
}

export interface KeyValue {
  readonly key: Buffer;
  readonly create_revision: number;
  readonly mod_revision: number;
  readonly version: number;
  readonly value: Buffer;
  readonly lease: number;
}

/** Every top-level response has a header; ./etcd-codec.ts refuses one without. */
export interface WithHeader {
  readonly header: ResponseHeader;
}

export interface RangeResponse extends WithHeader {
  readonly kvs: readonly KeyValue[];
  readonly more: boolean;
  readonly count: number;
}

export interface PutResponse extends WithHeader {
  readonly prev_kv: KeyValue | null;
}

export interface DeleteRangeResponse extends WithHeader {
  readonly deleted: number;
  readonly prev_kvs: readonly KeyValue[];
}

/** A txn's per-operation results; only the one matching the RequestOp is set. */
export interface ResponseOp {
  readonly response_range: Omit<RangeResponse, 'header'> | null;
  readonly response_put: Omit<PutResponse, 'header'> | null;
  readonly response_delete_range: Omit<DeleteRangeResponse, 'header'> | null;
}

export interface TxnResponse extends WithHeader {
  readonly succeeded: boolean;
  readonly responses: readonly ResponseOp[];
}

export type CompactionResponse = WithHeader;

export interface Event {
  readonly type: EventType;
  /** Always set by etcd; null only in a malformed response. */
  readonly kv: KeyValue | null;
  /** Set when the watch asked for prev_kv and the key existed before. */
  readonly prev_kv: KeyValue | null;
}

export interface WatchResponse extends WithHeader {
  readonly watch_id: number;
  readonly created: boolean;
  readonly canceled: boolean;
  /** Set when the requested start revision is compacted away: the oldest revision left. */
  readonly compact_revision: number;
  readonly cancel_reason: string;
  readonly events: readonly Event[];
}
