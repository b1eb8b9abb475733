// A storage Watch over one etcd watch stream (the raw Watch RPC). A generic watcher, such as the
// etcd3 npm client's, reconnects on its own too, but resumes from the revision in the header of
// the last response it got, and etcd fills that header with its *current* revision: in the
// `created` response, and in every batch of a catch-up replay (etcd sends history in batches of
// at most 1000 revisions). A connection lost during a catch-up would then resume past events
// that were never delivered, silently. etcd3's also drops the compact_revision etcd sends when
// history is gone, so a compaction could not become a CompactedError.
//
// So this file keeps the one number that is safe to resume from: one past the revision of the
// last event it delivered. After a lost connection it reconnects with that start revision,
// drops anything older (never a duplicate), and if it cannot reconnect within
// `reconnectTimeoutMs` it fails the watch with UnavailableError. A watch either continues
// without a gap or ends with an error; it never skips events quietly.
import { Backoff, type Clock, type Timer } from '@skiff/api';
import { CompactedError, StorageError, UnavailableError } from '../errors.js';
import type { Watch, WatchEvent } from '../interface.js';
import type { EtcdClient, WatchStream } from './client.js';
import { EventQueue } from './event-queue.js';
import { classifyEtcdError } from './etcd-errors.js';
import type { EtcdKeyspace } from './keyspace.js';
import { toKeyValue } from './key-value.js';
import { EventType, type Event, type WatchResponse } from './wire/etcd-messages.js';

export interface EtcdWatchSettings {
  readonly client: EtcdClient;
  readonly keyspace: EtcdKeyspace;
  readonly range: { readonly start: Buffer; readonly end: Buffer };
  /** Deliver events after this revision; undefined: from the revision etcd registers us at. */
  readonly afterRevision: number | undefined;
  readonly clock: Clock;
  /** How long to keep trying to get the watch back after losing it before failing. */
  readonly reconnectTimeoutMs: number;
  /** How long etcd may take to confirm a watch before the attempt counts as failed. */
  readonly createTimeoutMs: number;
  /** "etcd at http://…", for error messages. */
  readonly target: string;
  /** Finds etcd's compaction revision for a CompactedError (see ./compaction-probe.ts). */
  readonly compactedRevision: () => Promise<number>;
  readonly onStop: (watch: EtcdWatch) => void;
}

/** Reconnect delays: 50 ms doubling to 1 s. */
const RECONNECT_BACKOFF = { durationMs: 50, capMs: 1_000 };

export class EtcdWatch implements Watch {
  private readonly queue = new EventQueue<WatchEvent>();
  private stream: WatchStream | undefined;
  private createTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  /** Start revision for the next (re)connect; undefined until a "from now" watch is created. */
  private resumeRevision: number | undefined;
  /** When the current outage began, for the reconnect deadline. */
  private outageSince: number | undefined;
  private readonly reconnectBackoff = new Backoff(RECONNECT_BACKOFF);
  /** The cluster we first talked to: resuming on a different one would mix two histories. */
  private clusterId: bigint | undefined;
  private stopped = false;

  constructor(private readonly settings: EtcdWatchSettings) {
    this.resumeRevision =
      settings.afterRevision === undefined ? undefined : settings.afterRevision + 1;
    this.connect();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => this.queue.next(),
      return: () => {
        this.cancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  cancel(): void {
    this.queue.end();
    this.stop();
  }

  /** End the watch with `error` after the events already received. */
  fail(error: StorageError): void {
    this.queue.fail(error);
    this.stop();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.dropStream();
    this.retryTimer?.cancel();
    this.settings.onStop(this);
  }

  private connect(): void {
    if (this.stopped) return;
    // The handlers compare against this.stream: a stream we abandoned reports nothing anyway
    // (cancel() silences it), but a late response must never be taken for the current one's.
    const stream: WatchStream = this.settings.client.watch({
      onMessage: (res) => this.onResponse(stream, res),
      onEnd: (err) => this.onStreamEnd(stream, err),
    });
    this.stream = stream;
    this.createTimer = this.settings.clock.setTimer(this.settings.createTimeoutMs, () =>
      this.onStreamEnd(
        stream,
        new Error(`etcd did not confirm the watch within ${this.settings.createTimeoutMs} ms`),
      ),
    );
    stream.write({
      create_request: {
        key: this.settings.range.start,
        range_end: this.settings.range.end,
        start_revision: this.resumeRevision ?? 0,
        prev_kv: true,
      },
    });
  }

  private onStreamEnd(stream: WatchStream, cause: Error): void {
    if (stream !== this.stream) return; // an abandoned stream winding down
    this.dropStream();
    this.connectionLost(cause);
  }

  private connectionLost(cause: Error): void {
    if (this.stopped) return;
    const now = this.settings.clock.now();
    this.outageSince ??= now;
    const reason = cause.message;
    if (now - this.outageSince >= this.settings.reconnectTimeoutMs) {
      this.fail(
        new UnavailableError(
          `watch on ${this.settings.target} lost its connection and could not resume from ` +
            `revision ${this.resumeRevision ?? 'now'} within ${this.settings.reconnectTimeoutMs} ms: ${reason}`,
          { cause },
        ),
      );
      return;
    }
    this.retryTimer = this.settings.clock.setTimer(this.reconnectBackoff.step(), () =>
      this.connect(),
    );
  }

  private onResponse(stream: WatchStream, res: WatchResponse): void {
    if (stream !== this.stream || this.stopped) return;
    const clusterId = res.header.cluster_id;
    if (this.clusterId !== undefined && clusterId !== this.clusterId) {
      this.fail(
        new UnavailableError(
          `watch on ${this.settings.target} reconnected to a different etcd cluster ` +
            `(${clusterId}, was ${this.clusterId}); its revisions are not comparable`,
        ),
      );
      return;
    }
    this.clusterId = clusterId;
    if (res.created) this.onCreated(res);
    else if (res.compact_revision > 0) this.onCompacted(res.compact_revision);
    else if (res.canceled) void this.onCancelled(res.cancel_reason);
    else this.deliver(res.events);
  }

  private onCreated(res: WatchResponse): void {
    this.createTimer?.cancel();
    if (res.canceled) {
      void this.onCancelled(res.cancel_reason);
      return;
    }
    this.outageSince = undefined;
    this.reconnectBackoff.reset();
    // "From now" means after the revision etcd was at when it registered the watch. Pinning it
    // here makes the start exact and gives a reconnect something to resume from.
    this.resumeRevision ??= res.header.revision + 1;
  }

  private onCompacted(compactRevision: number): void {
    const after = (this.resumeRevision ?? compactRevision) - 1;
    this.fail(new CompactedError(after, compactRevision));
  }

  private async onCancelled(reason: string): Promise<void> {
    const failure = classifyEtcdError(new Error(reason));
    const after = (this.resumeRevision ?? 1) - 1;
    let error: StorageError;
    if (failure.kind === 'compacted') {
      error = await this.settings.compactedRevision().then(
        (compacted): StorageError => new CompactedError(after, compacted),
        (err: unknown): StorageError =>
          new UnavailableError(
            `etcd cancelled the watch (${reason}) and then failed: ${String(err)}`,
          ),
      );
    } else {
      error = new StorageError(
        failure.kind === 'unavailable' ? 'Unavailable' : 'Internal',
        `etcd cancelled the watch on ${this.settings.target}: ${reason || 'no reason given'}`,
      );
    }
    this.fail(error);
  }

  private deliver(events: readonly Event[]): void {
    const floor = this.resumeRevision ?? 0;
    let last: number | undefined;
    for (const event of events) {
      const { kv } = event;
      if (!kv) {
        this.fail(new StorageError('Internal', `etcd sent a watch event without a key-value`));
        return;
      }
      const revision = kv.mod_revision;
      // Older than what we asked for: the tail of a "from now" registration race or a replay
      // after reconnecting. Already delivered or before our start, so never a gap to drop it.
      if (revision < floor) continue;
      this.queue.push(this.toWatchEvent(event, kv));
      last = revision;
    }
    // etcd never splits one revision's events across responses, so the next one starts after.
    if (last !== undefined) this.resumeRevision = last + 1;
  }

  private toWatchEvent(event: Event, kv: NonNullable<Event['kv']>): WatchEvent {
    const { keyspace } = this.settings;
    const current = toKeyValue(kv, keyspace);
    // etcd omits prev_kv for a create.
    const prevKv = event.prev_kv ? toKeyValue(event.prev_kv, keyspace) : undefined;
    const type = event.type === EventType.DELETE ? 'delete' : 'put';
    return prevKv ? { type, kv: current, prevKv } : { type, kv: current };
  }

  private dropStream(): void {
    this.createTimer?.cancel();
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }
}

/** A Watch that fails on first use: what watch() returns once the storage is closed. */
export function failedWatch(error: StorageError): Watch {
  return {
    cancel: () => undefined,
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}
