// The etcd backend when etcd goes away: calls fail fast and say where, the same storage object
// recovers when etcd comes back, and watches never lose events quietly.
//
// Watches across an outage: this backend CONTINUES them. A watch that loses its stream
// reconnects and resumes one revision past the last event it delivered (./watch.ts), so a
// restart of etcd (with its data) costs neither events nor duplicates. Only if etcd stays away
// longer than `watchReconnectTimeoutMs` does the watch end, with UnavailableError; a consumer
// then relists, exactly as after a compaction.
import { afterEach, describe, expect, it } from 'vitest';
import { openEtcdStorage } from './index.js';
import type { Storage } from '../interface.js';
import { useEtcd } from '../testing/etcd-fixture.js';
import { startEtcd } from '../testing/etcd-process.js';
import {
  bytes,
  describeEvent,
  failureOf,
  text,
  WatchReader,
} from '../testing/storage-test-helpers.js';

const fixture = useEtcd();

afterEach(async () => {
  // Leave a running, responsive etcd for the next test whatever this one did to it.
  const { etcd } = fixture;
  if (etcd.running) etcd.resume();
  else await etcd.restart();
});

/** Every kind of call, to show none of them hangs or fails differently during an outage. */
const calls: [string, (s: Storage) => Promise<unknown>][] = [
  ['get', (s) => s.get('k')],
  ['list', (s) => s.list('')],
  ['create', (s) => s.create('new', bytes('x'))],
  ['update', (s) => s.update('k', bytes('x'), 1)],
  ['delete', (s) => s.delete('k')],
  ['compact', (s) => s.compact(1)],
  ['currentRevision', (s) => s.currentRevision()],
  ['compactedRevision', (s) => s.compactedRevision()],
];

describe('etcd storage during etcd outages', () => {
  it('fails every call with UnavailableError naming the endpoint within seconds while etcd is down', async () => {
    const store = await fixture.newStore();
    await store.create('k', bytes('v1'));
    await fixture.etcd.stop();
    for (const [name, call] of calls) {
      const started = Date.now();
      const error = await failureOf(() => call(store));
      expect({ name, code: error.code }).toEqual({ name, code: 'Unavailable' });
      expect(error.message).toContain(fixture.etcd.endpoint);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it('works again with the same storage object once etcd restarts, data intact', async () => {
    const store = await fixture.newStore();
    const created = await store.create('k', bytes('v1'));
    await fixture.etcd.kill();
    expect((await failureOf(() => store.get('k'))).code).toBe('Unavailable');
    await fixture.etcd.restart();
    const read = await store.get('k');
    expect(read && text(read.value)).toBe('v1');
    const updated = await store.update('k', bytes('v2'), created.modRevision);
    expect(updated.version).toBe(2);
  });

  it('fails a call with UnavailableError after the request timeout when etcd is frozen', async () => {
    const store = await fixture.newStore({ requestTimeoutMs: 1_000 });
    await store.create('k', bytes('v1'));
    await fixture.etcd.pause();
    const started = Date.now();
    const error = await failureOf(() => store.get('k'));
    expect(error.code).toBe('Unavailable');
    expect(error.message).toContain(fixture.etcd.endpoint);
    expect(Date.now() - started).toBeLessThan(4_000);
    fixture.etcd.resume();
    expect((await store.get('k'))?.version).toBe(1);
  });

  it('refuses to open against an endpoint where nothing listens, naming it', async () => {
    // A real etcd we start and stop again: its port is certainly free afterwards.
    const gone = await startEtcd();
    await gone.destroy();
    const started = Date.now();
    const error = await failureOf(() =>
      openEtcdStorage({ endpoints: [gone.endpoint], prefix: '/x/' }),
    );
    expect(error.code).toBe('Unavailable');
    expect(error.message).toContain(gone.endpoint);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('etcd watches across outages', () => {
  it('continues a watch across an etcd crash and restart without losing or repeating events', async () => {
    // A second client for the writes, so they do not share the watch's connection.
    const prefix = `/skiff-test/restart-${Date.now()}/`;
    const store = await fixture.newStore({ prefix });
    const writer = await fixture.newStore({ prefix });
    const start = await store.currentRevision();
    const reader = new WatchReader(store.watch('w/', { afterRevision: start }));
    for (let i = 0; i < 5; i++) await writer.create(`w/before-${i}`, bytes('x'));
    expect(await reader.take(5)).toHaveLength(5);

    await fixture.etcd.kill();
    await fixture.etcd.restart();
    // Written while the watch is still reconnecting: it must replay them from etcd's history.
    for (let i = 0; i < 5; i++) await writer.create(`w/after-${i}`, bytes('x'));

    const after = await reader.take(5);
    expect(after.map(describeEvent)).toEqual(
      Array.from({ length: 5 }, (_, i) => `put w/after-${i}@${start + 6 + i}`),
    );
    reader.watch.cancel();
  });

  it('resumes a long catch-up replay cut by an etcd crash from the last event it delivered', async () => {
    // etcd replays history in batches of at most 1000 revisions, each stamped with its current
    // revision. Crashing etcd right after the first batch arrives cuts the replay in the middle:
    // a watch that resumed from the stamped revision would skip the rest.
    const store = await fixture.newStore();
    const start = await store.currentRevision();
    const total = 2_500;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          store.create(`h/${String(i + j).padStart(5, '0')}`, bytes('x')),
        ),
      );
    }
    const reader = new WatchReader(store.watch('h/', { afterRevision: start }), 30_000);
    const first = await reader.take(1);
    await fixture.etcd.kill();
    await fixture.etcd.restart();
    const rest = await reader.take(total - 1);
    const revisions = [...first, ...rest].map((e) => e.kv.modRevision);
    expect(revisions).toEqual(Array.from({ length: total }, (_, i) => start + 1 + i));
    reader.watch.cancel();
  });

  it('ends a watch with UnavailableError naming the endpoint when etcd stays down too long', async () => {
    const store = await fixture.newStore({ watchReconnectTimeoutMs: 1_000 });
    const reader = new WatchReader(
      store.watch('w/', { afterRevision: await store.currentRevision() }),
    );
    await store.create('w/a', bytes('x'));
    expect(await reader.take(1)).toHaveLength(1);
    await fixture.etcd.stop();
    const error = await reader.failure();
    expect(error.code).toBe('Unavailable');
    expect(error.message).toContain(fixture.etcd.endpoint);
  });
});
