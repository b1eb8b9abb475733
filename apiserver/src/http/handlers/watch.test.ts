// The watch handler's wire behaviour: what it writes, in which chunks, and how it treats a client
// that stops reading. Read off a raw socket, so the test sees the chunks of the chunked response
// exactly as the server wrote them (a fetch body may merge or split them).
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedStorage } from '../../storage/embedded/index.js';
import { DEFAULT_MAX_PENDING_PER_WATCHER } from '../../watchcache/index.js';
import {
  onCleanup,
  startApi,
  type Backend,
  type RunningApi,
} from '../../server/testing/api-fixture.js';

const cms = '/api/v1/namespaces/default/configmaps';
const WAIT_MS = 20_000;

const embedded: Backend = {
  name: 'embedded',
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-watch-handler-'));
    const store = await openEmbeddedStorage({
      dir,
      compactionIntervalMs: 0,
      warn: () => undefined,
    });
    onCleanup(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });
    return store;
  },
};

const configMap = (name: string, data: Record<string, string> = {}): object => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

interface Line {
  readonly type: string;
  readonly object: {
    metadata?: { name?: string; resourceVersion?: string };
    code?: number;
    reason?: string;
  };
}

const describeLine = (line: Line): string =>
  line.type === 'ERROR'
    ? `ERROR ${String(line.object.code)}`
    : `${line.type} ${String(line.object.metadata?.name)}`;

/** Creates config maps through the API; returns the resourceVersion of each. */
async function createConfigMaps(api: RunningApi, names: readonly string[]): Promise<number[]> {
  const revisions: number[] = [];
  for (const name of names) {
    const created = await api.client.post(cms, configMap(name));
    expect(created.status, created.text).toBe(201);
    revisions.push(Number(created.body.metadata?.resourceVersion));
  }
  return revisions;
}

/** Waits until the config maps' watch cache has applied `revision`. */
async function cacheReaches(api: RunningApi, revision: number): Promise<void> {
  const cache = api.server.registries.forKind({ group: '', resource: 'configmaps' }).cache;
  if (!cache) throw new Error('config maps have no watch cache');
  await cache.waitUntilFresh(revision, { timeoutMs: WAIT_MS });
}

describe('the watch handler', () => {
  it('writes the events ready when a watch resumes as one chunk, lines in order', async () => {
    const api = await startApi(embedded);
    const revisions = await createConfigMaps(api, ['a', 'b', 'c', 'd', 'e']);
    await cacheReaches(api, revisions[4] ?? 0);
    const watch = await ChunkedWatch.open(
      api.url,
      `${cms}?watch=1&resourceVersion=${revisions[0]}`,
    );
    await watch.until(() => watch.lines().length >= 4, '4 events');
    expect(watch.chunks).toHaveLength(1);
    expect(watch.lines().map(describeLine)).toEqual(['ADDED b', 'ADDED c', 'ADDED d', 'ADDED e']);
    watch.close();
  });

  it('writes the current state of a fresh watch as one chunk, in key order', async () => {
    const api = await startApi(embedded);
    const revisions = await createConfigMaps(api, ['z', 'x', 'y']);
    await cacheReaches(api, revisions[2] ?? 0);
    const watch = await ChunkedWatch.open(api.url, `${cms}?watch=1`);
    await watch.until(() => watch.lines().length >= 3, '3 events');
    expect(watch.chunks).toHaveLength(1);
    expect(watch.lines().map(describeLine)).toEqual(['ADDED x', 'ADDED y', 'ADDED z']);
    watch.close();
  });

  it('streams a watch the cache does not serve from storage, with its own bookmarks', async () => {
    const api = await startApi(embedded, { bookmarkIntervalMs: 50 });
    // Without initial events the watch is storage's (see registry/list-watch.ts).
    const watch = await ChunkedWatch.open(
      api.url,
      `${cms}?watch=1&sendInitialEvents=false&allowWatchBookmarks=true`,
    );
    const revisions = await createConfigMaps(api, ['a', 'b']);
    // Bookmarks tick on their own, so the one that counts is the first after both events.
    const bookmarkAfterEvents = (): Line | undefined => {
      const lines = watch.lines();
      const afterB = lines.findIndex((line) => describeLine(line) === 'ADDED b');
      return afterB < 0 ? undefined : lines.slice(afterB).find((l) => l.type === 'BOOKMARK');
    };
    await watch.until(() => bookmarkAfterEvents() !== undefined, 'events, then a bookmark');
    const events = watch.lines().filter((line) => line.type !== 'BOOKMARK');
    expect(events.map(describeLine)).toEqual(['ADDED a', 'ADDED b']);
    expect(Number(bookmarkAfterEvents()?.object.metadata?.resourceVersion)).toBe(revisions[1]);
    watch.close();
  });

  it('stops taking events from a client that stops reading, which is then cut off with an Expired ERROR', async () => {
    const api = await startApi(embedded);
    const watch = await ChunkedWatch.open(api.url, `${cms}?watch=1`);
    watch.pause();
    // Ten 1 MB objects: more than the socket buffers of both ends hold, so writes back up.
    const blob = 'x'.repeat(1_000_000);
    for (let i = 0; i < 10; i++) {
      const created = await api.client.post(cms, configMap(`big-${i}`, { blob }));
      expect(created.status, created.text).toBe(201);
    }
    // While the handler waits for the socket to drain, the watcher's queue grows past its limit.
    const prefix = api.server.registries
      .forKind({ group: '', resource: 'configmaps' })
      .prefix('default');
    const small = DEFAULT_MAX_PENDING_PER_WATCHER + 10;
    for (let i = 0; i < small; i++) {
      await api.storage.create(
        `${prefix}small-${i}`,
        Buffer.from(JSON.stringify(configMap(`small-${i}`))),
      );
    }
    const cache = api.server.registries.forKind({ group: '', resource: 'configmaps' }).cache;
    await expect.poll(() => cache?.stats().watchersTooSlow, { timeout: WAIT_MS }).toBe(1);

    watch.resume();
    await watch.until(() => watch.ended, 'the end of the stream');
    const seen = watch.lines().map(describeLine);
    // Kubernetes' answer to a watcher that fell too far behind: 410, re-watch from where you were.
    expect(seen.at(-1)).toBe('ERROR 410');
    expect(watch.lines().at(-1)?.object).toMatchObject({ reason: 'Expired' });
    // What arrived before the error is a prefix of what happened, in order, with nothing after.
    const happened = [
      ...Array.from({ length: 10 }, (_, i) => `ADDED big-${i}`),
      ...Array.from({ length: small }, (_, i) => `ADDED small-${i}`),
    ];
    const delivered = seen.slice(0, -1);
    expect(delivered.length).toBeLessThan(happened.length);
    expect(delivered).toEqual(happened.slice(0, delivered.length));
  });
});

/** A watch request on a raw socket, its chunked response body kept chunk by chunk. */
class ChunkedWatch {
  readonly chunks: Buffer[] = [];
  ended = false;
  private status = 0;
  /** A response this reader cannot parse: reported by `until`, not thrown from a socket event. */
  private failure: Error | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private inBody = false;
  private onChange: () => void = () => undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
      this.parse();
      this.onChange();
    });
    socket.on('close', () => {
      this.ended = true;
      this.onChange();
    });
  }

  static async open(baseUrl: string, path: string): Promise<ChunkedWatch> {
    const url = new URL(baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    const watch = new ChunkedWatch(socket);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`);
    await watch.until(() => watch.inBody, 'the response headers');
    expect(watch.status).toBe(200);
    return watch;
  }

  /** Every line of every chunk so far, parsed. */
  lines(): Line[] {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line);
  }

  /** Stops reading the socket, as a client that has stalled. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves once `done()` holds; the bound only turns a hang into a failure that says what. */
  until(done: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
      const check = (): void => {
        if (this.failure) {
          clearTimeout(timer);
          reject(this.failure);
          return;
        }
        if (!done()) return;
        clearTimeout(timer);
        this.onChange = () => undefined;
        resolve();
      };
      this.onChange = check;
      check();
    });
  }

  private parse(): void {
    if (!this.inBody) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.pending.toString('latin1', 0, end);
      this.status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]);
      if (!/^transfer-encoding: chunked$/im.test(head)) {
        this.failure = new Error(`the watch response is not chunked: ${head}`);
        this.socket.destroy();
        return;
      }
      this.pending = this.pending.subarray(end + 4);
      this.inBody = true;
    }
    for (;;) {
      const lineEnd = this.pending.indexOf('\r\n');
      if (lineEnd < 0) return;
      const size = parseInt(this.pending.toString('latin1', 0, lineEnd), 16);
      if (size === 0) {
        this.ended = true;
        return;
      }
      const dataStart = lineEnd + 2;
      if (this.pending.length < dataStart + size + 2) return;
      this.chunks.push(this.pending.subarray(dataStart, dataStart + size));
      this.pending = this.pending.subarray(dataStart + size + 2);
    }
  }
}
