// The Storage contract on etcd. The contract is etcd's own data model, so each method is one etcd
// request: every write is a single txn whose compare carries the precondition, and whose failure
// branch (where needed) reads the current value for the error. No write ever costs a second
// round trip, and nothing is retried behind the caller's back (see ./client.ts).
import { realClock, type Clock } from '@skiff/api';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  NotFoundError,
  StorageError,
  TooLargeError,
  UnavailableError,
} from '../errors.js';
import {
  MAX_VALUE_BYTES,
  type DeleteOptions,
  type GetOptions,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  type Watch,
  type WatchOptions,
} from '../interface.js';
import { EtcdClient } from './client.js';
import { readCompactedRevision } from './compaction-probe.js';
import { classifyEtcdError } from './etcd-errors.js';
import { toKeyValue } from './key-value.js';
import { EtcdKeyspace } from './keyspace.js';
import { EtcdWatch, failedWatch } from './watch.js';
import {
  CompareResult,
  CompareTarget,
  type Compare,
  type RequestOp,
  type TxnResponse,
} from './wire/etcd-messages.js';

export interface EtcdStorageOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  readonly endpoints: readonly string[];
  /** Prepended to every storage key. Default `/registry/`, as Kubernetes. */
  readonly prefix?: string;
  /** Upper bound for one request, connecting included. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** How long a watch keeps trying to resume after losing etcd before it fails. Default 15 s. */
  readonly watchReconnectTimeoutMs?: number;
  readonly clock?: Clock;
}

export const DEFAULT_ETCD_PREFIX = '/registry/';

/**
 * Connect to etcd and check that it answers; UnavailableError naming the endpoints if not.
 * After that the storage survives etcd outages: calls fail with UnavailableError meanwhile and
 * work again once etcd is back.
 */
export async function openEtcdStorage(options: EtcdStorageOptions): Promise<Storage> {
  if (options.endpoints.length === 0) {
    throw new StorageError('Internal', 'openEtcdStorage needs at least one endpoint');
  }
  const storage = new EtcdStorage(options);
  try {
    await storage.currentRevision();
  } catch (err) {
    await storage.close();
    throw err;
  }
  return storage;
}

/** What a failed request was about, to turn etcd's answer into the right StorageError. */
interface RequestContext {
  readonly op: string;
  readonly key?: string;
  readonly revision?: number;
  readonly bytes?: number;
}

class EtcdStorage implements Storage {
  private readonly client: EtcdClient;
  private readonly keyspace: EtcdKeyspace;
  private readonly target: string;
  private readonly requestTimeoutMs: number;
  private readonly watchReconnectTimeoutMs: number;
  private readonly clock: Clock;
  private readonly watches = new Set<EtcdWatch>();
  private closed = false;

  constructor(options: EtcdStorageOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.watchReconnectTimeoutMs = options.watchReconnectTimeoutMs ?? 15_000;
    this.clock = options.clock ?? realClock;
    this.keyspace = new EtcdKeyspace(options.prefix ?? DEFAULT_ETCD_PREFIX);
    this.target = `etcd at ${options.endpoints.join(', ')}`;
    this.client = new EtcdClient({
      endpoints: options.endpoints,
      requestTimeoutMs: this.requestTimeoutMs,
      clock: this.clock,
    });
  }

  async get(key: string, options: GetOptions = {}): Promise<KeyValue | undefined> {
    this.assertOpen();
    const etcdKey = this.keyspace.key(key);
    const { revision } = options;
    const res = await this.request({ op: 'get', key, revision }, () =>
      this.client.range({ key: etcdKey, revision: revision ?? 0 }),
    );
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv, this.keyspace) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const { start, end } = this.keyspace.range(prefix, options.startAfter);
    const { revision, limit } = options;
    const res = await this.request({ op: 'list', key: prefix, revision }, () =>
      this.client.range({
        key: start,
        range_end: end,
        revision: revision ?? 0,
        limit: limit ?? 0,
      }),
    );
    return {
      items: res.kvs.map((kv) => toKeyValue(kv, this.keyspace)),
      // etcd's header carries its current revision; a pinned read was served at the pinned one.
      revision: revision !== undefined && revision > 0 ? revision : res.header.revision,
      more: res.more,
    };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.assertOpen();
    const etcdKey = this.keyspace.key(key);
    assertSize(key, value);
    const res = await this.txn({ op: 'create', key, bytes: value.byteLength }, [
      [
        {
          key: etcdKey,
          target: CompareTarget.CREATE,
          result: CompareResult.EQUAL,
          create_revision: 0,
        },
      ],
      [{ request_put: { key: etcdKey, value } }],
      [],
    ]);
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = res.header.revision;
    return { key, value, createRevision: revision, modRevision: revision, version: 1 };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    this.assertOpen();
    const etcdKey = this.keyspace.key(key);
    assertSize(key, value);
    const res = await this.txn({ op: 'update', key, bytes: value.byteLength }, [
      casOn(etcdKey, expectedModRevision),
      [{ request_put: { key: etcdKey, value, prev_kv: true } }],
      [{ request_range: { key: etcdKey } }],
    ]);
    if (!res.succeeded) throw this.preconditionFailed(key, expectedModRevision, res);
    const prev = res.responses[0]?.response_put?.prev_kv;
    if (!prev)
      throw new StorageError('Internal', `etcd did not return the previous value of ${key}`, key);
    return {
      key,
      value,
      createRevision: prev.create_revision,
      modRevision: res.header.revision,
      version: prev.version + 1,
    };
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    const etcdKey = this.keyspace.key(key);
    const expected = options.expectedModRevision;
    const res = await this.txn({ op: 'delete', key }, [
      expected === undefined ? [] : casOn(etcdKey, expected),
      [{ request_delete_range: { key: etcdKey, prev_kv: true } }],
      [{ request_range: { key: etcdKey } }],
    ]);
    if (!res.succeeded) throw this.preconditionFailed(key, expected ?? 0, res);
    const deleted = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!deleted) throw new NotFoundError(key);
    return toKeyValue(deleted, this.keyspace);
  }

  watch(prefix: string, options: WatchOptions = {}): Watch {
    if (this.closed) return failedWatch(this.closedError());
    const watch = new EtcdWatch({
      client: this.client,
      keyspace: this.keyspace,
      range: this.keyspace.range(prefix),
      afterRevision: options.afterRevision,
      clock: this.clock,
      reconnectTimeoutMs: this.watchReconnectTimeoutMs,
      createTimeoutMs: this.requestTimeoutMs,
      target: this.target,
      compactedRevision: () => this.compactedRevision(),
      onStop: (w) => this.watches.delete(w),
    });
    this.watches.add(watch);
    return watch;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    try {
      await this.client.compact({ revision, physical: true });
    } catch (err) {
      // Already compacted at or past `revision`: the history it would drop is gone, which is
      // all compact promises. Two apiservers compacting the same revision must not fail.
      if (!this.closed && classifyEtcdError(err).kind === 'compacted') return;
      throw await this.translate(err, { op: 'compact', revision });
    }
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    const res = await this.request({ op: 'currentRevision' }, () =>
      this.client.range({ key: this.keyspace.root, count_only: true }),
    );
    return res.header.revision;
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.request({ op: 'compactedRevision' }, () =>
      readCompactedRevision(this.client, this.keyspace.root, this.clock, this.requestTimeoutMs),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of this.watches) watch.fail(this.closedError());
    this.client.close();
  }

  private txn(
    context: RequestContext,
    [compare, success, failure]: [Compare[], RequestOp[], RequestOp[]],
  ): Promise<TxnResponse> {
    return this.request(context, () => this.client.txn({ compare, success, failure }));
  }

  /** The txn's failure branch read the key: absent → NotFound, else it moved on → Conflict. */
  private preconditionFailed(key: string, expected: number, res: TxnResponse): StorageError {
    const current = res.responses[0]?.response_range?.kvs[0];
    if (!current) return new NotFoundError(key);
    return new ConflictError(key, expected, toKeyValue(current, this.keyspace));
  }

  private async request<T>(context: RequestContext, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw await this.translate(err, context);
    }
  }

  private async translate(err: unknown, context: RequestContext): Promise<StorageError> {
    if (err instanceof StorageError) return err;
    if (this.closed) return this.closedError();
    const failure = classifyEtcdError(err);
    const requested = context.revision ?? 0;
    switch (failure.kind) {
      case 'compacted':
        return new CompactedError(requested, await this.compactedRevision());
      case 'future':
        return new FutureRevisionError(requested, await this.currentRevision());
      case 'tooLarge':
        return new TooLargeError(context.key ?? '', context.bytes ?? 0, MAX_VALUE_BYTES);
      case 'unavailable':
        return new UnavailableError(
          `${this.target} is unavailable (${context.op}): ${failure.reason}`,
          {
            cause: err,
          },
        );
      case 'internal':
        return new StorageError(
          'Internal',
          `${context.op} on ${this.target} failed: ${failure.reason}`,
          context.key,
          {
            cause: err,
          },
        );
    }
  }

  private assertOpen(): void {
    if (this.closed) throw this.closedError();
  }

  private closedError(): UnavailableError {
    return new UnavailableError(`storage on ${this.target} is closed`);
  }
}

/** Compare-and-swap precondition: the key exists and was last written at `modRevision`. */
function casOn(key: Buffer, modRevision: number): Compare[] {
  return [
    { key, target: CompareTarget.MOD, result: CompareResult.EQUAL, mod_revision: modRevision },
    // A missing key has mod_revision 0; without this, a precondition of 0 would create it.
    { key, target: CompareTarget.CREATE, result: CompareResult.GREATER, create_revision: 0 },
  ];
}

/** Refuse before sending: etcd would refuse too, but only after the bytes crossed the wire. */
function assertSize(key: string, value: Uint8Array): void {
  if (value.byteLength > MAX_VALUE_BYTES)
    throw new TooLargeError(key, value.byteLength, MAX_VALUE_BYTES);
}
