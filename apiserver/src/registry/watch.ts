// Watches straight from storage: one storage watch per client. (The watch cache replaces this
// with one storage watch per resource once it is wired in; the event semantics are the same.)
// Storage events become Kubernetes WatchEvents through the client's selectors, including the
// transitions: an object that stops matching is DELETED for this watcher, one that starts
// matching is ADDED, as a cache of "objects that match" needs.
import type { Status, WatchEvent } from '@skiff/api';
import { ApiError, apiErrors, errorMessage } from '@skiff/api';
import {
  CompactedError,
  isStorageError,
  type KeyValue,
  type WatchEvent as StorageEvent,
} from '../storage/index.js';
import type { ApiObject } from './api-object.js';
import { listObjects } from './list.js';
import { type ListParams, parseRevision, selects } from './list-options.js';
import type { Registry } from './registry.js';

export interface WatchStream extends AsyncIterable<WatchEvent<ApiObject | Status>> {
  /** The revision the stream starts after: what a bookmark reports before any event. */
  readonly startRevision: number;
  /** True when the source sends BOOKMARK events itself (the watch cache does). */
  readonly emitsBookmarks: boolean;
  /** Ends the stream; the iterator returns after the event in flight. */
  stop(): void;
}

/**
 * Starts a watch. '' and '0' begin with a synthetic ADDED per existing object (Kubernetes'
 * "get state and start at most recent"); a revision resumes after it. A compacted revision
 * fails here with 410 when storage says so up front, or later as an ERROR event.
 */
export async function watchObjects(
  registry: Registry,
  namespace: string | undefined,
  params: ListParams,
): Promise<WatchStream> {
  const prefix = registry.prefix(namespace);
  let initial: ApiObject[] = [];
  let after: number;
  if (params.resourceVersion === '' || params.resourceVersion === '0') {
    const list = await listObjects(registry, namespace, {
      ...params,
      limit: 0,
      continueToken: undefined,
    });
    initial = params.sendInitialEvents === false ? [] : list.items;
    after = Number(list.metadata.resourceVersion);
  } else {
    after = parseRevision(params.resourceVersion);
    const compacted = await registry.storage.compactedRevision();
    if (after < compacted - 1) throw tooOld(after, compacted);
  }
  const watch = registry.storage.watch(prefix, { afterRevision: after });
  return {
    startRevision: after,
    emitsBookmarks: false,
    stop: () => watch.cancel(),
    async *[Symbol.asyncIterator]() {
      for (const obj of initial) yield { type: 'ADDED', object: obj };
      try {
        for await (const event of watch) {
          const translated = toWatchEvent(registry, event, params);
          if (translated) yield translated;
        }
      } catch (err) {
        yield { type: 'ERROR', object: errorStatus(err) };
      } finally {
        watch.cancel();
      }
    },
  };
}

function toWatchEvent(
  registry: Registry,
  event: StorageEvent,
  params: ListParams,
): WatchEvent<ApiObject> | undefined {
  const prev = event.prevKv && registry.decode(event.prevKv);
  const prevMatched = prev !== undefined && selects(params, prev);
  if (event.type === 'delete') {
    if (!prev || !prevMatched) return undefined;
    return { type: 'DELETED', object: withRevision(prev, event.kv) };
  }
  const obj = registry.decode(event.kv);
  const matches = selects(params, obj);
  if (matches) return { type: prevMatched ? 'MODIFIED' : 'ADDED', object: obj };
  return prevMatched ? { type: 'DELETED', object: obj } : undefined;
}

/** A deleted object is reported as it was, at the revision of its deletion. */
function withRevision(obj: ApiObject, tombstone: KeyValue): ApiObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(tombstone.modRevision) } };
}

function tooOld(requested: number, compacted: number): ApiError {
  return apiErrors.expired(`too old resource version: ${requested} (${compacted})`);
}

function errorStatus(err: unknown): Status {
  if (err instanceof CompactedError) {
    return tooOld(err.requestedRevision, err.compactedRevision).status;
  }
  if (err instanceof ApiError) return err.status;
  if (isStorageError(err, 'Unavailable')) {
    return apiErrors.serviceUnavailable(`watch ended: ${err.message}`).status;
  }
  // A key storage refuses (a NUL in the namespace) is the client's input, as for a list.
  if (isStorageError(err, 'InvalidKey')) {
    return apiErrors.badRequest(`invalid watch: ${err.message}`).status;
  }
  return apiErrors.internal(`watch failed: ${errorMessage(err)}`).status;
}
