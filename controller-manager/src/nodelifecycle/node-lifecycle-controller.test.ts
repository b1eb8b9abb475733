import type { Lease, Node, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, seededLister, unitFixture } from '../testing/fixture.js';
import { NodeLifecycleController, NODE_LEASE_NAMESPACE } from './node-lifecycle-controller.js';
import { TAINT_UNREACHABLE } from './taints.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

const timings = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
};

const lease = (name: string, renewTime: string): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: NODE_LEASE_NAMESPACE },
  spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
});

function setup(nodes: Node[], leases: Lease[], pods: Pod[] = []) {
  const f = unitFixture([...nodes, ...leases, ...pods]);
  const nodeCache = seededLister(nodes);
  const leaseCache = seededLister(leases);
  const controller = new NodeLifecycleController({
    ...f.context,
    ...timings,
    client: f.client,
    nodes: nodeCache.lister,
    leases: leaseCache.lister,
    pods: listerOf(pods),
    queue: f.queue,
  });
  const sync = () => controller.reconcile({ name: 'node-health' }, f.signal);
  return { ...f, nodeCache, leaseCache, sync };
}

describe('node health monitor', () => {
  it('marks a silent node Unknown after the grace period, its pods not ready, and taints it', async () => {
    const node = makeNode()
      .name('n1')
      .condition('Ready', 'True', { lastHeartbeatTime: '2026-01-01T00:00:00Z' })
      .obj();
    // A second node that keeps renewing its lease: with every node down, nothing would be evicted.
    const healthy = makeNode().name('n2').condition('Ready', 'True').obj();
    const pod = makePod().name('web').namespace('ns').node('n1').ready().obj();
    const t = setup(
      [node, healthy],
      [lease('n1', '2026-01-01T00:00:00.000000Z'), lease('n2', '2026-01-01T00:00:00.000000Z')],
      [pod],
    );
    expect(await t.sync()).toEqual({ requeueAfter: 5_000 });
    expect(t.client.actions()).toEqual([]);
    t.leaseCache.indexer.set(lease('n2', '2026-01-01T00:00:40.000000Z'));
    await t.clock.advance(41_000);
    await t.sync();
    const actions = t.client
      .actions()
      .map(
        (a) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''} ${a.name ?? ''}`,
      );
    expect(actions).toEqual(['update nodes/status n1', 'patch pods/status web', 'update nodes n1']);
    const status = (t.client.actions()[0]?.object as Node).status;
    expect(status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    const taints = (t.client.actions()[2]?.object as Node).spec?.taints;
    expect(taints).toEqual([
      { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
      { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2026-01-01T00:00:41Z' },
    ]);
  });

  it('keeps a node whose lease is renewed healthy, however old its status heartbeat', async () => {
    const node = makeNode().name('n1').condition('Ready', 'True').obj();
    const t = setup([node], [lease('n1', '2026-01-01T00:00:00.000000Z')]);
    await t.sync();
    await t.clock.advance(30_000);
    const leases = listerOf([lease('n1', '2026-01-01T00:00:30.000000Z')]);
    const controller = new NodeLifecycleController({
      ...t.context,
      ...timings,
      client: t.client,
      nodes: t.nodeCache.lister,
      leases,
      pods: listerOf<Pod>([]),
      queue: t.queue,
    });
    await controller.reconcile({ name: 'x' }, t.signal); // first sight for this instance
    await t.clock.advance(30_000);
    await controller.reconcile({ name: 'x' }, t.signal);
    expect(t.client.actions()).toEqual([]);
  });

  it('takes the taints off a node that is Ready again', async () => {
    const node = makeNode()
      .name('n1')
      .condition('Ready', 'True')
      .taints(
        { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
        { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
      )
      .obj();
    const t = setup([node], []);
    await t.sync();
    expect((t.client.actions()[0]?.object as Node).spec?.taints).toEqual([]);
  });

  it('evicts nothing when every node is down (a partition of the control plane)', async () => {
    const nodes = ['a', 'b'].map((n) => makeNode().name(n).condition('Ready', 'Unknown').obj());
    const t = setup(nodes, []);
    await t.sync();
    for (const action of t.client.actions()) {
      expect((action.object as Node).spec?.taints?.some((x) => x.effect === 'NoExecute')).toBe(
        false,
      );
    }
  });

  it('adds NoExecute taints at --node-eviction-rate', async () => {
    const nodes = ['a', 'b', 'c'].map((n) => makeNode().name(n).condition('Ready', 'False').obj());
    nodes.push(
      makeNode().name('ok1').condition('Ready', 'True').obj(),
      makeNode().name('ok2').condition('Ready', 'True').obj(),
    );
    nodes.push(
      ...['ok3', 'ok4', 'ok5'].map((n) => makeNode().name(n).condition('Ready', 'True').obj()),
    );
    const t = setup(nodes, []);
    await t.sync();
    const noExecute = t.client
      .actions()
      .filter((a) => (a.object as Node).spec?.taints?.some((x) => x.effect === 'NoExecute'));
    // One token at start (burst 1), the next one 10 s later at 0.1/s.
    expect(noExecute).toHaveLength(1);
  });
});

describe('taint eviction', () => {
  const tainted = makeNode()
    .name('n1')
    .taints({ key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' })
    .obj();

  function setupEviction(pod: Pod) {
    const f = unitFixture([tainted, pod]);
    const controller = new TaintEvictionController({
      ...f.context,
      client: f.client,
      pods: listerOf([pod]),
      nodes: listerOf([tainted]),
      queue: f.queue,
    });
    return {
      ...f,
      sync: () =>
        controller.reconcile({ namespace: 'ns', name: pod.metadata.name ?? '' }, f.signal),
    };
  }

  it('evicts a pod that does not tolerate the taint at once, marking why', async () => {
    const t = setupEviction(makePod().name('p').namespace('ns').node('n1').obj());
    await t.sync();
    expect(t.client.actions().map((a) => `${a.verb} ${a.subresource ?? ''}`)).toEqual([
      'patch status',
      'delete ',
    ]);
    expect(t.client.actions()[0]?.patch).toMatchObject({
      status: { conditions: [{ type: 'DisruptionTarget', reason: 'DeletionByTaintManager' }] },
    });
    expect(t.events.map((e) => e.reason)).toEqual(['TaintManagerEviction']);
  });

  it('waits out tolerationSeconds, counted from when the taint was added', async () => {
    const pod = makePod()
      .name('p')
      .namespace('ns')
      .node('n1')
      .tolerations({
        key: TAINT_UNREACHABLE,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      })
      .obj();
    const t = setupEviction(pod);
    expect(await t.sync()).toEqual({ requeueAfter: 300_000 });
    await t.clock.advance(300_000);
    await t.sync();
    expect(t.client.actions().map((a) => a.verb)).toEqual(['patch', 'delete']);
  });
});
