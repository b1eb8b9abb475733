// The reflector's timing on the injected Clock, against a scripted HTTP server that fails on cue:
// it backs off between failures instead of hammering the server, and a watch the server closes
// at once counts as a failure rather than a reason to spin.
//
// Every failure here ends with the reflector parked on its backoff timer, so a test awaits
// `clock.waitForTimers()` — "it has done all it will do until time moves" — instead of giving it
// some wall-clock time to get there, which a busy machine may not give.
import type { ConfigMap } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ALL_NAMESPACES, createClient } from '../rest/index.js';
import { sendJson, startScriptedServer, type Script } from '../rest/testing/scripted-server.js';
import { scopedListerWatcher } from './list-watch.js';
import { Reflector, type ReflectorStore } from './reflector.js';

const emptyList = {
  kind: 'ConfigMapList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '7' },
  items: [],
};

async function runReflector(script: Script) {
  const server = await startScriptedServer(script);
  const client = createClient({ server: server.url, qps: Infinity, retry: { maxAttempts: 1 } });
  const clock = new FakeClock();
  const replaced: string[] = [];
  const store: ReflectorStore<ConfigMap> = {
    add: () => undefined,
    update: () => undefined,
    delete: () => undefined,
    replace: (_items, rv) => replaced.push(rv),
    resync: () => undefined,
  };
  const reflector = new Reflector(
    scopedListerWatcher(client.configMaps(ALL_NAMESPACES), {}),
    store,
    {
      name: 'configmaps',
      clock,
      backoff: { random: () => 0 },
      log: () => undefined,
    },
  );
  const stop = new AbortController();
  const running = reflector.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await running;
    client.close();
  });
  return { server, clock, replaced };
}

describe('Reflector backoff', () => {
  it('waits 800 ms, then 1.6 s, then 3.2 s between failed lists, on its clock', async () => {
    const { server, clock } = await runReflector((_req, res) =>
      sendJson(res, 500, { kind: 'Status', code: 500, message: 'storage is down' }),
    );
    await clock.waitForTimers(); // the first list failed: backing off
    expect(server.requests).toHaveLength(1);
    for (const [wait, total] of [
      [800, 2],
      [1600, 3],
      [3200, 4],
    ] as const) {
      await clock.advance(wait - 1);
      expect(server.requests).toHaveLength(total - 1);
      await clock.advance(1);
      await clock.waitForTimers(); // listed again, failed again, backing off again
      expect(server.requests).toHaveLength(total);
    }
  });

  it('backs off when the server closes each watch at once, instead of spinning', async () => {
    const { server, clock, replaced } = await runReflector((req, res) => {
      if (!req.url.includes('watch=true')) return sendJson(res, 200, emptyList);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
    });
    await clock.waitForTimers(); // listed, watched, the watch closed at once: backing off
    expect(server.requests).toHaveLength(2);
    await clock.advance(800);
    await clock.waitForTimers(); // the second watch closed at once too
    expect(server.requests).toHaveLength(3);
    expect(replaced).toEqual(['7']);
    const watch = new URL(server.requests[2]?.url ?? '', 'http://x').searchParams;
    expect(watch.get('resourceVersion')).toBe('7');
    expect(watch.get('allowWatchBookmarks')).toBe('true');
  });

  it('relists with backoff after an ERROR event that is not 410', async () => {
    const { server, clock, replaced } = await runReflector((req, res) => {
      if (!req.url.includes('watch=true')) return sendJson(res, 200, emptyList);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', code: 500, reason: 'InternalError', message: 'boom' },
        }) + '\n',
      );
    });
    await clock.waitForTimers(); // listed, then the watch's ERROR event: backing off
    expect(replaced).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    await clock.advance(800);
    await clock.waitForTimers(); // relisted, then the same ERROR event again
    expect(replaced).toHaveLength(2);
    // A relist after an ordinary failure asks for at least the version it had.
    const relist = new URL(server.requests[2]?.url ?? '', 'http://x').searchParams;
    expect(relist.get('resourceVersion')).toBe('7');
  });

  it('asks for the latest state when a list at its version is refused with 410', async () => {
    const gone = { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' };
    const { server, clock, replaced } = await runReflector((req, res) => {
      const query = new URL(req.url, 'http://x').searchParams;
      if (query.get('watch') === 'true') return sendJson(res, 500, { kind: 'Status', code: 500 });
      if (query.get('resourceVersion') === '7') return sendJson(res, 410, gone);
      sendJson(res, 200, emptyList);
    });
    await clock.waitForTimers(); // listed, the watch refused: backing off
    expect(server.requests).toHaveLength(2);
    await clock.advance(800);
    await clock.waitForTimers(); // the relist at 7 refused with 410
    expect(server.requests).toHaveLength(3);
    await clock.advance(1600);
    await clock.waitForTimers(); // listed the latest state, the watch refused again
    expect(replaced).toHaveLength(2);
    const versions = server.requests
      .filter((r) => !r.url.includes('watch=true'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('resourceVersion'));
    expect(versions.slice(0, 3)).toEqual(['0', '7', null]);
  });
});
