// A watch: one HTTP response that stays open, one JSON WatchEvent per line (or, for clients
// that prefer protobuf, one length-prefixed protobuf WatchEvent per frame), each written as
// soon as it happens. It ends when the client goes away, when timeoutSeconds (or the server's
// maximum) passes, or when the server closes; an error after the stream started is sent as an
// ERROR event carrying a Status, since the status line has already gone out.
//
// Events arrive in batches (everything the watch had ready at once) and each batch goes out as
// ONE write, so one chunk of the chunked response: with a thousand watchers on a busy resource
// the per-write cost (a syscall, a chunk header) is paid per batch, not per event.
import type { Status, Timer, WatchEvent } from '@skiff/api';
import type { ApiObject } from '../../registry/api-object.js';
import { tableRequest, toTable } from '../table/to-table.js';
import { parseListParams } from '../../registry/list-options.js';
import { watch } from '../../registry/list-watch.js';
import { servesProtobuf } from '../../protobuf/http.js';
import { prefersProtobuf, PROTOBUF_WATCH_MEDIA_TYPE } from '../../protobuf/media-types.js';
import { frameOf, protobufWatchFrames } from '../../protobuf/watch-frames.js';
import type { ResourceScope } from '../scope.js';

/**
 * The cache hands every watcher the same frozen record for the same event, so each record is
 * encoded once, to the bytes that go on the wire, however many watchers receive it: a thousand
 * sockets share one Buffer rather than re-encoding one string to UTF-8 each.
 */
const encoded = new WeakMap<object, Buffer>();

function sharedLine(event: object): Buffer {
  let line = encoded.get(event);
  if (line === undefined) {
    line = lineOf(event);
    encoded.set(event, line);
  }
  return line;
}

function lineOf(event: object): Buffer {
  return Buffer.from(`${JSON.stringify(event)}\n`);
}

/**
 * Watchers that see the same events get the same batches (every watcher of an unselective watch
 * is woken in the same turn with the same records), so the most recent batch's joined bytes are
 * kept too and reused when the next batch holds the very same records: a thousand sockets then
 * share one copy rather than each concatenating its own.
 */
let lastJoined: { readonly records: readonly object[]; readonly bytes: Buffer } | undefined;

function sharedBatch(records: readonly object[]): Buffer {
  const [first] = records;
  if (records.length === 1 && first) return sharedLine(first);
  if (lastJoined && sameRecords(lastJoined.records, records)) return lastJoined.bytes;
  const bytes = Buffer.concat(records.map(sharedLine));
  lastJoined = { records, bytes };
  return bytes;
}

function sameRecords(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function handleWatch(scope: ResourceScope): Promise<void> {
  const { res, server, registry, info } = scope;
  const query = new URLSearchParams(scope.query);
  // `/pods/name?watch=1` (the old form) watches one object.
  if (info.name !== undefined) {
    const byName = `metadata.name=${info.name}`;
    const given = query.get('fieldSelector');
    query.set('fieldSelector', given ? `${given},${byName}` : byName);
  }
  const params = parseListParams(info.kind, query);
  const stream = await watch(registry, info.namespace, params);
  const table = tableRequest(scope.req.headers.accept, scope.query);
  // Length-prefixed WatchEvent frames instead of JSON lines (../../protobuf/watch-frames.ts).
  const protobuf = !table && prefersProtobuf(scope.req.headers.accept) && servesProtobuf(info.kind);

  res.statusCode = 200;
  res.setHeader('Content-Type', protobuf ? PROTOBUF_WATCH_MEDIA_TYPE : 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();

  let lastRevision = stream.startRevision;
  let bookmarkTimer: Timer | undefined;
  const stop = (): void => stream.stop();
  const untrack = server.watches.add(registry.kind.resource, stop);
  res.on('close', stop);
  const timeoutSeconds = Math.min(
    params.timeoutSeconds ?? server.maxWatchSeconds,
    server.maxWatchSeconds,
  );
  const timeout = server.clock.setTimer(timeoutSeconds * 1000, stop);

  // `kubectl get -w` asks for Tables here too: each object event carries a one-row Table,
  // with the column definitions only in the first. Those rows are this watcher's own, so they
  // are encoded per watcher; everything else is the shared records' shared bytes.
  let columnsSent = false;
  const asTableLine = (event: WatchEvent<ApiObject | Status>): Buffer => {
    if (!table || event.type === 'ERROR' || event.type === 'BOOKMARK') return sharedLine(event);
    const rows = toTable(event.object as ApiObject, info.kind, server.clock.now(), {
      ...table,
      withColumns: !columnsSent,
    });
    columnsSent = true;
    return lineOf({ type: event.type, object: rows });
  };
  const encode = (batch: readonly WatchEvent<ApiObject | Status>[]): Buffer => {
    if (table) return Buffer.concat(batch.map(asTableLine));
    return protobuf ? protobufWatchFrames(batch) : sharedBatch(batch);
  };
  // Only the bookmarks this handler makes itself need the last revision sent.
  const makesBookmarks = params.allowWatchBookmarks && !stream.emitsBookmarks;
  if (makesBookmarks) {
    const bookmark = (): void => {
      const event = {
        type: 'BOOKMARK',
        object: {
          kind: registry.kind.kind,
          apiVersion: registry.kind.apiVersion,
          metadata: { resourceVersion: String(lastRevision) },
        },
      };
      res.write(protobuf ? frameOf(event) : lineOf(event));
      bookmarkTimer = server.clock.setTimer(server.bookmarkIntervalMs, bookmark);
    };
    bookmarkTimer = server.clock.setTimer(server.bookmarkIntervalMs, bookmark);
  }

  try {
    for await (const batch of stream) {
      if (makesBookmarks) lastRevision = Math.max(lastRevision, newestRevision(batch));
      // Respect backpressure: a client that reads slowly holds this loop, not server memory.
      if (!res.write(encode(batch)) && !res.destroyed) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      if (res.destroyed) break;
    }
  } finally {
    timeout.cancel();
    bookmarkTimer?.cancel();
    untrack();
    stop();
    if (!res.destroyed) res.end();
  }
}

/** The highest resourceVersion among a batch's object events (0 if none carries one). */
function newestRevision(batch: readonly WatchEvent<ApiObject | Status>[]): number {
  let newest = 0;
  for (const event of batch) {
    const rv = Number(event.object.metadata?.resourceVersion);
    if (event.type !== 'ERROR' && Number.isSafeInteger(rv)) newest = Math.max(newest, rv);
  }
  return newest;
}
