import { FakeClock, makePod, makeReplicaSet } from '@skiff/api/testing';
import { createFakeClient } from '@skiff/client/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fromDocuments, type GCDiscovery, type ResourceDiscovery } from './discovery.js';
import { DependencyGraph } from './graph.js';
import { GraphBuilder, REDISCOVERY_PERIOD_MS } from './graph-builder.js';

const pods = { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['list', 'watch', 'delete'] };
const replicaSets = { ...pods, name: 'replicasets', kind: 'ReplicaSet' };
const documents = (withReplicaSets: boolean) =>
  fromDocuments(
    [
      { groupVersion: 'v1', list: { resources: [pods] } },
      { groupVersion: 'apps/v1', list: { resources: withReplicaSets ? [replicaSets] : [] } },
    ],
    new Set(['v1', 'apps/v1']),
  );

/** Lets the fake client's lists and watches deliver until `done` (no time passes). */
async function settle(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !done(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function setup() {
  const rs = makeReplicaSet().name('web').namespace('ns').uid('rs-1').obj();
  const owned = (name: string, uid: string, ownerUid: string) =>
    makePod()
      .name(name)
      .namespace('ns')
      .uid(uid)
      .ownerReference({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: ownerUid })
      .obj();
  const clock = new FakeClock();
  const client = createFakeClient({
    objects: [rs, owned('kept', 'pod-1', 'rs-1'), owned('dangling', 'pod-2', 'rs-0')],
    clock,
  });
  let current: GCDiscovery = documents(true);
  let discoveries = 0;
  const discovery: ResourceDiscovery = {
    discover: () => {
      discoveries++;
      return Promise.resolve(current);
    },
  };
  const graph = new DependencyGraph();
  const toDelete: string[] = [];
  const builder = new GraphBuilder({
    client,
    discovery,
    graph,
    clock,
    log: () => undefined,
    onWork: (work) => toDelete.push(...work.attemptToDelete),
  });
  const stop = new AbortController();
  const running = builder.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await running;
  });
  return {
    builder,
    graph,
    clock,
    toDelete,
    discoveries: () => discoveries,
    serve: (d: GCDiscovery) => (current = d),
  };
}

describe('graph builder', () => {
  it('builds the graph from a monitor per discovered resource and checks dependents of unseen owners', async () => {
    const t = setup();
    await settle(() => t.builder.hasSynced());
    expect(t.builder.hasSynced()).toBe(true);
    expect(t.graph.size).toBe(3);
    expect(t.graph.dependents('rs-1').map((n) => n.identity.name)).toEqual(['kept']);
    // (The owned pod may be checked too if it came before its ReplicaSet: a live read decides.)
    expect(t.toDelete).toContain('pod-2');
  });

  it('rediscovers on its period, stopping the monitor of a resource that went and dropping its objects', async () => {
    const t = setup();
    await settle(() => t.builder.hasSynced());
    expect(t.discoveries()).toBe(1);
    t.toDelete.length = 0;
    t.serve(documents(false));
    await t.clock.advance(REDISCOVERY_PERIOD_MS);
    await settle(() => t.graph.get('rs-1') === undefined);
    expect(t.discoveries()).toBe(2);
    expect(t.graph.get('rs-1')).toBeUndefined();
    expect(t.toDelete).toEqual(['pod-1']);
  });

  it('reads discovery again at once when asked, sharing one round among callers', async () => {
    const t = setup();
    await settle(() => t.builder.hasSynced());
    const signal = new AbortController().signal;
    await Promise.all([t.builder.resync(signal), t.builder.resync(signal)]);
    expect(t.discoveries()).toBe(2);
  });
});
