// Node lifecycle against a real apiserver, with short timings: a node whose lease stops being
// renewed goes Unknown and gets the unreachable taints, its pods are evicted once their
// tolerationSeconds run out, and their ReplicaSet replaces them; the node coming back loses the
// taints.
import type { Client } from '@skiff/client';
import { isConflict, isNotFound, type Lease, type Pod } from '@skiff/api';
import { makeNode, makePod, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';
import { TAINT_UNREACHABLE } from './taints.js';

const ns = 'default';

async function heartbeat(client: Client, node: string): Promise<void> {
  const leases = client.leases('kube-node-lease');
  const renewTime = new Date().toISOString().replace('Z', '000Z');
  const lease: Lease = {
    metadata: { name: node, namespace: 'kube-node-lease' },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime },
  };
  try {
    const current = await leases.get(node);
    await leases.update({ ...current, spec: { ...current.spec, renewTime } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await leases.create(lease);
  }
}

/** The kubelet's status write; retried on a conflict with the controller's taint updates. */
async function markReady(client: Client, node: string): Promise<void> {
  for (;;) {
    const current = await client.nodes().get(node);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    try {
      await client.nodes().updateStatus({
        ...current,
        status: {
          ...current.status,
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              lastHeartbeatTime: now,
              lastTransitionTime: now,
            },
          ],
        },
      });
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

// A real apiserver and controller-manager: each wait is for a real condition (`eventually`, up
// to 60 s); the test gets the time a loaded 2-core machine needs.
describe('node lifecycle on a real apiserver', { timeout: 120_000 }, () => {
  it('taints a silent node, evicts its pods after their tolerationSeconds, and untaints it when it is back', async () => {
    const api = await startApiServer();
    for (const name of ['silent', 'alive']) {
      await api.client.nodes().create(makeNode().name(name).obj());
      await markReady(api.client, name);
      await heartbeat(api.client, name);
    }
    // The healthy node's kubelet: a lease renewal 300 ms after the previous one finished, while
    // the test runs. One at a time, as a kubelet does: on a busy machine a renewal can take
    // longer than the period, and two overlapping ones would conflict with each other.
    const beatErrors: unknown[] = [];
    let beating = true;
    const beats = (async () => {
      while (beating) {
        await heartbeat(api.client, 'alive').catch((err: unknown) => beatErrors.push(err));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    onTestFinished(async () => {
      beating = false;
      await beats;
    });

    await startControllerManagerFor(api, {
      controllers: ['nodelifecycle', 'replicaset'],
      nodeMonitorPeriodMs: 300,
      // Long enough that the healthy node's heartbeats, from this same process, never leave a
      // gap this wide on a starved machine: its Ready condition is posted only once (the test's
      // kubelet renews just the lease), so a single Unknown would stay, leave no ready node in
      // the zone (FullDisruption: no evictions at all) and fail the test on timing alone.
      nodeMonitorGracePeriodMs: 10_000,
      nodeEvictionRate: 100,
    });
    const template = makePod()
      .labels({ app: 'web' })
      .tolerations({
        key: TAINT_UNREACHABLE,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 1,
      })
      .template({ app: 'web' });
    await api.client
      .replicaSets(ns)
      .create(makeReplicaSet().name('web').namespace(ns).replicas(2).template(template).obj());
    const pods = await eventually(
      async () => (await api.client.pods(ns).list()).items,
      (p) => p.length === 2,
      'two pods',
    );
    // Play the scheduler: both pods go to the node that will fall silent.
    for (const pod of pods) {
      await api.client.pods(ns).createSubresource(pod.metadata.name ?? '', 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata.name },
        target: { kind: 'Node', name: 'silent' },
      });
    }

    const silent = await eventually(
      () => api.client.nodes().get('silent'),
      (n) =>
        (n.spec?.taints ?? []).some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute'),
      'the unreachable NoExecute taint',
    );
    expect(silent.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
    });
    expect((await api.client.nodes().get('alive')).spec?.taints ?? []).toEqual([]);

    const evicted = (p: Pod) =>
      p.spec.nodeName === 'silent' && p.metadata.deletionTimestamp !== undefined;
    const after = await eventually(
      async () => (await api.client.pods(ns).list()).items,
      (p) =>
        p.filter(evicted).length === 2 &&
        p.filter((x) => !x.metadata.deletionTimestamp).length === 2,
      'both pods evicted and replaced',
    );
    for (const pod of after.filter(evicted)) {
      expect(pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
        reason: 'DeletionByTaintManager',
      });
    }

    // The kubelet is back: its lease and Ready condition move again.
    await markReady(api.client, 'silent');
    await heartbeat(api.client, 'silent');
    await eventually(
      () => api.client.nodes().get('silent'),
      (n) => (n.spec?.taints ?? []).length === 0,
      'the taints removed',
    );
    expect(beatErrors).toEqual([]);
  });
});
