// The ReplicaSet controller against a real apiserver: scale 0 → 100 → 0 with no kubelet, status
// following pod readiness written by the test, adoption and release.
import type { Pod, ReplicaSet, Scale } from '@skiff/api';
import { makePod, makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';

const ns = 'default';

async function podsOf(client: Awaited<ReturnType<typeof startApiServer>>['client'], app: string) {
  return (await client.pods(ns).list({ labelSelector: { app } })).items;
}

// A real apiserver and controller-manager: each wait is for a real condition (`eventually`, up
// to 60 s); the test gets the time a loaded 2-core machine needs.
describe('ReplicaSet controller on a real apiserver', { timeout: 120_000 }, () => {
  it('scales 0 → 100 → 0 with exactly the asked number of pods, all owned', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['replicaset'] });
    const rs = await api.client
      .replicaSets(ns)
      .create(makeReplicaSet().name('web').namespace(ns).replicas(0).obj());

    const scale = (replicas: number) =>
      api.client.replicaSets(ns).patch('web', { spec: { replicas } }, { type: 'merge' });
    await scale(100);
    const pods = await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length >= 100,
      '100 pods',
    );
    expect(pods).toHaveLength(100);
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(pod.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    }
    await eventually(
      () => api.client.replicaSets(ns).get('web'),
      (r) => r.status?.replicas === 100 && r.status.observedGeneration === r.metadata.generation,
      'status.replicas 100',
    );
    // Give a lagging controller the chance to over-create, then check it did not.
    await eventually(
      () => api.client.replicaSets(ns).get('web'),
      (r) => r.status?.fullyLabeledReplicas === 100,
      'fullyLabeledReplicas 100',
    );
    expect(await podsOf(api.client, 'web')).toHaveLength(100);

    await scale(0);
    await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length === 0,
      'no pods',
    );
    const status = await eventually(
      () => api.client.replicaSets(ns).get('web'),
      (r) => r.status?.replicas === 0,
      'status.replicas 0',
    );
    expect(status.status?.conditions ?? []).toEqual([]);
  });

  it('follows a scale through the /scale subresource, as kubectl scale writes it', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['replicaset'] });
    await api.client
      .replicaSets(ns)
      .create(makeReplicaSet().name('web').namespace(ns).replicas(1).obj());
    await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length === 1,
      'one pod',
    );
    // kubectl scale sends a merge patch to /scale with no resourceVersion: a status write by the
    // controller in between must not turn it into a 409.
    await api.client
      .replicaSets(ns)
      .patch('web', { spec: { replicas: 4 } }, { type: 'merge', subresource: 'scale' });
    await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length === 4,
      'four pods',
    );
    const after = await eventually(
      () => api.client.replicaSets(ns).getSubresource<Scale>('web', 'scale'),
      (s) => s.status?.replicas === 4,
      'scale status 4',
    );
    expect(after.spec?.replicas).toBe(4);
  });

  it('counts ready and available pods from the status a kubelet would write', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['replicaset'] });
    await api.client
      .replicaSets(ns)
      .create(makeReplicaSet().name('web').namespace(ns).replicas(3).obj());
    const pods = await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length === 3,
      '3 pods',
    );
    for (const pod of pods.slice(0, 2)) await markReady(api.client, pod);
    await eventually(
      () => api.client.replicaSets(ns).get('web'),
      (r) => r.status?.readyReplicas === 2 && r.status.availableReplicas === 2,
      'two ready and available',
    );
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels change', async () => {
    const api = await startApiServer();
    const orphan = await api.client
      .pods(ns)
      .create(makePod().name('orphan').namespace(ns).labels({ app: 'web' }).obj());
    await startControllerManagerFor(api, { controllers: ['replicaset'] });
    const rs = await api.client
      .replicaSets(ns)
      .create(makeReplicaSet().name('web').namespace(ns).replicas(2).obj());
    const adopted = await eventually(
      () => api.client.pods(ns).get('orphan'),
      (p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid,
      'the orphan adopted',
    );
    expect(adopted.metadata.uid).toBe(orphan.metadata.uid);
    await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length === 2,
      '2 pods',
    );

    await api.client
      .pods(ns)
      .patch('orphan', { metadata: { labels: { app: 'debug' } } }, { type: 'merge' });
    await eventually(
      () => api.client.pods(ns).get('orphan'),
      (p) => (p.metadata.ownerReferences ?? []).length === 0,
      'the pod released',
    );
    // Released, so the ReplicaSet makes a replacement.
    await eventually(
      () => podsOf(api.client, 'web'),
      (p) => p.length === 2,
      'a replacement',
    );
  });

  it('sets ReplicaFailure and records the apiserver message when pods cannot be created', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['replicaset'] });
    // Kubernetes validates a template's labels and annotations but not its finalizers; the
    // pods it stamps out are validated in full, so every create is refused with a 422.
    const bad: ReplicaSet = makeReplicaSet().name('web').namespace(ns).replicas(2).obj();
    const template = bad.spec.template;
    if (template) template.metadata = { ...template.metadata, finalizers: ['not a finalizer'] };
    await api.client.replicaSets(ns).create(bad);
    const failed = await eventually(
      () => api.client.replicaSets(ns).get('web'),
      (r) => (r.status?.conditions ?? []).some((c) => c.type === 'ReplicaFailure'),
      'the ReplicaFailure condition',
    );
    const condition = failed.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    expect(condition).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    const events = await eventually(
      () => api.client.events(ns).list(),
      (list) => list.items.some((e) => e.reason === 'FailedCreate'),
      'a FailedCreate event',
    );
    const event = events.items.find((e) => e.reason === 'FailedCreate');
    expect(event?.message).toContain('Error creating: ');
    expect(event?.message).toContain(condition?.message ?? 'no message');
  });
});

async function markReady(
  client: Awaited<ReturnType<typeof startApiServer>>['client'],
  pod: Readonly<Pod>,
): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await client.pods(ns).patch(
    pod.metadata.name ?? '',
    {
      status: {
        phase: 'Running',
        podIP: '10.244.0.10',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      },
    },
    { type: 'merge', subresource: 'status' },
  );
}
