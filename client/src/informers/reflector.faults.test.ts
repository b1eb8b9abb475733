// The acceptance tests of the reflector: against a real apiserver, its watch is cut mid-stream,
// refused, and answered with 410 Gone (as an ERROR event and as a refused watch), while writes
// go on; every time, the informer's cache ends equal to the server's state, and deletions it
// could not watch still reach the handlers with the last state it knew.
import type { ConfigMap } from '@skiff/api';
import { makeConfigMap } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ALL_NAMESPACES, type Client } from '../rest/index.js';
import { scopedListerWatcher, type SelectorScope } from './list-watch.js';
import { SharedIndexInformer } from './shared-informer.js';
import { recordEvents, type Recorder } from './testing/recorder.js';
import { cacheVersions, serverVersions } from './testing/state.js';
import { startTestCluster, until, type TestCluster } from './testing/test-cluster.js';

async function runInformer(
  client: Client,
  scope: SelectorScope = {},
): Promise<SharedIndexInformer<ConfigMap>> {
  const informer = new SharedIndexInformer(
    scopedListerWatcher(client.configMaps(ALL_NAMESPACES), scope),
    { name: 'configmaps', log: () => undefined, backoff: { initialMs: 10, maxMs: 50 } },
  );
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await running;
  });
  await until(() => informer.hasSynced(), 'the informer to sync');
  return informer;
}

/** Waits until the cache equals what the server lists, then returns both for one last look. */
async function converged(cluster: TestCluster, informer: SharedIndexInformer<ConfigMap>) {
  let server = await serverVersions(cluster.client);
  const deadline = Date.now() + 10_000;
  while (JSON.stringify(cacheVersions(informer)) !== JSON.stringify(server)) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
    server = await serverVersions(cluster.client);
  }
  return { cache: cacheVersions(informer), server };
}

const lists = (requests: string[]): string[] =>
  requests.filter((r) => r.includes('/configmaps') && !r.includes('watch=true'));
const watches = (requests: string[]): string[] =>
  requests.filter((r) => r.includes('/configmaps') && r.includes('watch=true'));
const resourceVersionOf = (request: string): string | null =>
  new URL(request.split(' ')[1] ?? '', 'http://x').searchParams.get('resourceVersion');

const inDefault = (obj: Readonly<ConfigMap>): boolean => obj.metadata?.namespace === 'default';

/**
 * The Gone scenarios' start: configmaps a–d, an informer synced on them, and a recorder of its
 * notifications from here on.
 */
async function seededInformer(cluster: TestCluster) {
  for (const name of ['a', 'b', 'c', 'd']) {
    await cluster.client.configMaps().create(
      makeConfigMap()
        .name(name)
        .data({ key: `${name} as last seen` })
        .obj(),
    );
  }
  const informer = await runInformer(cluster.informerClient);
  const recorder = recordEvents<ConfigMap>(inDefault);
  const registration = informer.addEventHandler(recorder);
  await until(() => registration.hasSynced(), 'the handler to sync');
  recorder.lines.length = 0;
  return { informer, recorder };
}

/**
 * The Gone scenarios' gap: with the watch cache's storage watch held broken, some deletes, an
 * update and a create, then compaction past all of them, so no watch can resume across the gap.
 */
async function compactedGap(cluster: TestCluster): Promise<void> {
  cluster.storage.interrupt();
  const cms = cluster.client.configMaps();
  await cms.delete('a');
  await cms.delete('b');
  const c = await cms.get('c');
  await cms.update({ ...c, data: { key: 'changed in the gap' } });
  await cms.create(makeConfigMap().name('f').obj());
  await cluster.storage.compact(await cluster.storage.currentRevision());
  cluster.storage.resume();
}

/** What the handlers must hear about the gap once the informer has relisted. */
async function expectGapNotified(recorder: Recorder<ConfigMap>): Promise<void> {
  await until(() => recorder.lines.length === 4, 'four notifications');
  expect(recorder.lines.sort()).toEqual([
    'add default/f',
    'delete default/a (final state unknown)',
    'delete default/b (final state unknown)',
    'update default/c',
  ]);
}

describe('Reflector under faults', () => {
  it('resumes from the last resourceVersion when watches are cut mid-stream, losing nothing', async () => {
    const cluster = await startTestCluster();
    const informer = await runInformer(cluster.informerClient);
    const recorder = recordEvents<ConfigMap>(inDefault);
    informer.addEventHandler(recorder);

    const cms = cluster.client.configMaps();
    let writes = 0;
    for (let i = 0; i < 60; i++) {
      const name = `cm-${i % 7}`;
      const existing = await cms.get(name).catch(() => undefined);
      if (!existing)
        await cms.create(
          makeConfigMap()
            .name(name)
            .data({ round: String(i) })
            .obj(),
        );
      else if (i % 5 === 0) await cms.delete(name);
      else await cms.update({ ...existing, data: { round: String(i) } });
      writes++;
      if (i % 8 === 3) cluster.dropConnections();
      if (i % 8 === 3) await new Promise((resolve) => setTimeout(resolve, 5));
    }

    const { cache, server } = await converged(cluster, informer);
    expect(cache).toEqual(server);
    await until(() => recorder.lines.length === writes, 'a notification for every write');
    expect(recorder.lines.filter((l) => l.includes('final state unknown'))).toEqual([]);
    // Watched again (several times), but never listed again: nothing was lost.
    expect(watches(cluster.requests).length).toBeGreaterThan(3);
    expect(lists(cluster.requests)).toHaveLength(1);
  });

  it('relists on a 410 Gone ERROR event and delivers the deletions it missed with their last state', async () => {
    const cluster = await startTestCluster();
    const { informer, recorder } = await seededInformer(cluster);

    // The apiserver's watch cache loses its storage watch; history is compacted meanwhile, so
    // when storage comes back the cache must relist and ends every watcher with 410 Gone.
    await compactedGap(cluster);

    const { cache, server } = await converged(cluster, informer);
    expect(cache).toEqual(server);
    await expectGapNotified(recorder);
    expect(recorder.deleted.get('default/a')?.data).toEqual({ key: 'a as last seen' });
    expect(lists(cluster.requests)).toHaveLength(2);
    // After a 410 the relist asks for the latest state, not the compacted version.
    expect(resourceVersionOf(lists(cluster.requests)[1] ?? '')).toBeNull();
  });

  it('relists when resuming is refused with 410 Gone after an outage', async () => {
    const cluster = await startTestCluster();
    const { informer, recorder } = await seededInformer(cluster);
    const seenBeforeOutage = informer.lastSyncResourceVersion();

    // The informer is cut off; while it is away the server's history moves on and is compacted.
    cluster.refuseConnections(true);
    cluster.dropConnections();
    await until(() => cluster.refusedConnections() >= 3, 'the informer to be refused a few times');
    await compactedGap(cluster);
    const watchesBefore = watches(cluster.requests).length;
    cluster.refuseConnections(false);

    const { cache, server } = await converged(cluster, informer);
    expect(cache).toEqual(server);
    await expectGapNotified(recorder);
    expect(recorder.deleted.get('default/b')?.data).toEqual({ key: 'b as last seen' });
    // It first tried to resume from where it was, and only relisted when told 410.
    const resumed = watches(cluster.requests)[watchesBefore];
    expect(resumed && resourceVersionOf(resumed)).toBe(seenBeforeOutage);
    expect(lists(cluster.requests)).toHaveLength(2);
  });

  it('moves its resourceVersion forward on bookmarks, and resumes from there', async () => {
    const cluster = await startTestCluster({ bookmarkIntervalMs: 50 });
    // Watching only app=mine: the writes below change the resource but none reach this watch.
    const informer = await runInformer(cluster.informerClient, { labelSelector: 'app=mine' });
    const listedAt = Number(informer.lastSyncResourceVersion());
    for (const name of ['x', 'y', 'z']) {
      await cluster.client
        .configMaps()
        .create(makeConfigMap().name(name).labels({ app: 'other' }).obj());
    }
    const latest = Number((await cluster.client.configMaps().listAll()).metadata.resourceVersion);
    await until(
      () => Number(informer.lastSyncResourceVersion()) >= latest,
      'a bookmark with the latest resourceVersion',
    );
    expect(latest).toBeGreaterThan(listedAt);

    const watchesBefore = watches(cluster.requests).length;
    cluster.dropConnections();
    await until(() => watches(cluster.requests).length > watchesBefore, 'the watch to resume');
    const resumed = watches(cluster.requests)[watchesBefore] ?? '';
    expect(Number(resourceVersionOf(resumed))).toBeGreaterThanOrEqual(latest);
    expect(informer.indexer.size).toBe(0);
  });
});
