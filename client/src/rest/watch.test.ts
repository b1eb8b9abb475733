import type { ServerResponse } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient } from './client.js';
import { isGone } from '@skiff/api';
import { StreamDecodeError } from './json-lines.js';
import { ConnectionError } from './rest-client.js';
import { sendJson, startScriptedServer, type Script } from './testing/scripted-server.js';
import type { WatchEvent } from './watch.js';

const event = (type: string, name: string, rv: number): string =>
  `${JSON.stringify({ type, object: { metadata: { name, resourceVersion: String(rv) } } })}\n`;

/** Writes each piece as its own chunk, letting the socket flush in between. */
async function writeChunks(res: ServerResponse, pieces: readonly string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  for (const piece of pieces) {
    res.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function watchOn(script: Script, signal?: AbortSignal) {
  const server = await startScriptedServer(script);
  const client = createClient({ server: server.url, qps: Infinity, retry: { maxAttempts: 1 } });
  onTestFinished(() => client.close());
  const watch = await client.configMaps('apps').watch({
    resourceVersion: '5',
    allowWatchBookmarks: true,
    timeoutSeconds: 30,
    labelSelector: { app: 'web' },
    signal,
  });
  return { server, watch };
}

async function collect<T>(events: AsyncIterable<WatchEvent<T>>): Promise<WatchEvent<T>[]> {
  const seen: WatchEvent<T>[] = [];
  for await (const e of events) seen.push(e);
  return seen;
}

const summary = <T extends { metadata?: { name?: string } }>(events: WatchEvent<T>[]) =>
  events.map((e) =>
    e.type === 'ERROR' ? `ERROR ${e.object.code}` : `${e.type} ${e.object.metadata?.name ?? ''}`,
  );

describe('watch over HTTP', () => {
  it('asks for the watch with its options in the query', async () => {
    const { server, watch } = await watchOn((_req, res) => void res.end());
    await collect(watch);
    const url = new URL(server.requests[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/api/v1/namespaces/apps/configmaps');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      watch: 'true',
      resourceVersion: '5',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '30',
      labelSelector: 'app=web',
    });
  });

  it('yields events in order however the stream is chunked, and ends when the server closes', async () => {
    const stream = event('ADDED', 'a', 6) + event('MODIFIED', 'a', 7) + event('BOOKMARK', '', 8);
    const added = event('ADDED', 'b', 9);
    const { watch } = await watchOn(async (_req, res) => {
      await writeChunks(res, [
        stream.slice(0, 17),
        stream.slice(17, 70),
        stream.slice(70),
        added.slice(0, -1),
        '\n',
      ]);
      res.end();
    });
    expect(summary(await collect(watch))).toEqual([
      'ADDED a',
      'MODIFIED a',
      'BOOKMARK ',
      'ADDED b',
    ]);
  });

  it('yields an ERROR event carrying the Status, so a reflector can relist on 410', async () => {
    const gone = {
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version: 5 (40)',
      },
    };
    const { watch } = await watchOn(async (_req, res) => {
      await writeChunks(res, [event('ADDED', 'a', 6), `${JSON.stringify(gone)}\n`]);
      res.end();
    });
    const events = await collect(watch);
    expect(summary(events)).toEqual(['ADDED a', 'ERROR 410']);
    const last = events[1];
    expect(last?.type === 'ERROR' && isGone(last.object)).toBe(true);
  });

  it('rejects the watch itself when the server refuses it with a Status', async () => {
    const script: Script = (_req, res) =>
      sendJson(res, 410, { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' });
    await expect(watchOn(script)).rejects.toSatisfy(isGone);
  });

  it('ends quietly when the caller aborts, and closes the connection', async () => {
    const abort = new AbortController();
    let closed = false;
    const { watch } = await watchOn(async (_req, res) => {
      res.on('close', () => (closed = true));
      await writeChunks(res, [event('ADDED', 'a', 6)]);
    }, abort.signal);
    const seen: string[] = [];
    for await (const e of watch) {
      seen.push(e.type);
      abort.abort();
    }
    expect(seen).toEqual(['ADDED']);
    await expect.poll(() => closed).toBe(true);
  });

  it('ends quietly on stop() and when the loop breaks', async () => {
    const serve: Script = (_req, res) => writeChunks(res, [event('ADDED', 'a', 6)]);
    const first = await watchOn(serve);
    const seen: string[] = [];
    for await (const e of first.watch) {
      seen.push(e.type);
      first.watch.stop();
    }
    expect(seen).toEqual(['ADDED']);

    let closed = false;
    const second = await watchOn((req, res) => {
      res.on('close', () => (closed = true));
      return serve(req, res, 1);
    });
    for await (const e of second.watch) {
      expect(e.type).toBe('ADDED');
      break;
    }
    await expect.poll(() => closed).toBe(true);
  });

  it('throws a ConnectionError when the connection breaks mid-stream', async () => {
    const { watch } = await watchOn(async (_req, res) => {
      await writeChunks(res, [event('ADDED', 'a', 6), event('MODIFIED', 'a', 7).slice(0, 20)]);
      res.socket?.destroy();
    });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of watch) seen.push(e.type);
    })();
    await expect(reading).rejects.toThrow(ConnectionError);
    expect(seen).toEqual(['ADDED']);
  });

  it('throws a StreamDecodeError for a line that is not a watch event', async () => {
    const { watch } = await watchOn(async (_req, res) => {
      await writeChunks(res, [event('ADDED', 'a', 6), '{"kind":"Status"}\n']);
      res.end();
    });
    await expect(collect(watch)).rejects.toThrow(StreamDecodeError);
  });

  it('can be read only once', async () => {
    const { watch } = await watchOn((_req, res) => void res.end());
    await collect(watch);
    expect(() => watch[Symbol.asyncIterator]()).toThrow('only once');
  });
});
