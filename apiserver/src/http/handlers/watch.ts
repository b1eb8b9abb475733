// A watch: one HTTP response that stays open, one JSON WatchEvent per line, each written as
// soon as it happens. It ends when the client goes away, when timeoutSeconds (or the server's
// maximum) passes, or when the server closes; an error after the stream started is sent as an
// ERROR event carrying a Status, since the status line has already gone out.
import type { Status, Timer, WatchEvent } from '@skiff/api';
import type { ApiObject } from '../../registry/api-object.js';
import { tableRequest, toTable } from '../table/to-table.js';
import { parseListParams } from '../../registry/list-options.js';
import { watch } from '../../registry/list-watch.js';
import type { ResourceScope } from '../scope.js';

/**
 * The cache hands every watcher the same frozen record for the same event, so each record is
 * encoded once however many watchers receive it.
 */
const encoded = new WeakMap<object, string>();

function encode(event: object): string {
  let line = encoded.get(event);
  if (line === undefined) {
    line = `${JSON.stringify(event)}\n`;
    encoded.set(event, line);
  }
  return line;
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

  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
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

  const write = (event: object): boolean => res.write(encode(event));
  // `kubectl get -w` asks for Tables here too: each object event carries a one-row Table,
  // with the column definitions only in the first.
  const table = tableRequest(scope.req.headers.accept, scope.query);
  let columnsSent = false;
  const asTable = (event: WatchEvent<ApiObject | Status>): object => {
    if (!table || event.type === 'ERROR' || event.type === 'BOOKMARK') return event;
    const rows = toTable(event.object as ApiObject, info.kind, server.clock.now(), {
      ...table,
      withColumns: !columnsSent,
    });
    columnsSent = true;
    return { type: event.type, object: rows };
  };
  if (params.allowWatchBookmarks && !stream.emitsBookmarks) {
    const bookmark = (): void => {
      write({
        type: 'BOOKMARK',
        object: {
          kind: registry.kind.kind,
          apiVersion: registry.kind.apiVersion,
          metadata: { resourceVersion: String(lastRevision) },
        },
      });
      bookmarkTimer = server.clock.setTimer(server.bookmarkIntervalMs, bookmark);
    };
    bookmarkTimer = server.clock.setTimer(server.bookmarkIntervalMs, bookmark);
  }

  try {
    for await (const event of stream) {
      const rv = Number(event.object.metadata?.resourceVersion);
      if (event.type !== 'ERROR' && Number.isSafeInteger(rv))
        lastRevision = Math.max(lastRevision, rv);
      // Respect backpressure: a client that reads slowly holds this loop, not server memory.
      if (!write(asTable(event)) && !res.destroyed) {
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
