// The scheduler against a real apiserver (embedded store): Node objects, no kubelets.
import type { Node, Pod } from '@skiff/api';
import { makeNamespace, makeNode, makePod, makeService } from '@skiff/api/testing';
import { ALL_NAMESPACES, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { amount, CPU, MEMORY, type BindPlugin, type Handle } from '../framework/index.js';
import { DefaultBinder } from '../plugins/default-binder.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { API_VERSION, decodeSchedulerConfig, KIND } from '../profile/index.js';
import { createNode, eventually, startApiServer } from './testing/cluster.js';
import { startScheduler } from './testing/run-scheduler.js';

const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' } as const;
const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** Nodes labelled with their hostname, each with the cpu given and 16 GiB. */
async function createNodesWithCpu(
  client: Client,
  cpuByNode: Record<string, string>,
): Promise<void> {
  for (const [name, cpu] of Object.entries(cpuByNode)) {
    await createNode(
      client,
      makeNode()
        .name(name)
        .labels({ [HOSTNAME]: name })
        .capacity({ cpu, memory: '16Gi', pods: '110' })
        .obj(),
    );
  }
}

async function listPods(client: Client): Promise<Pod[]> {
  return (await client.pods(ALL_NAMESPACES).list()).items;
}

// A real apiserver in this process: each wait is for a real condition (`eventually`, up to
// 30 s each); the test gets the time a loaded 2-core machine needs.
describe('scheduler against a real apiserver', { timeout: 120_000 }, () => {
  it('binds 100 pods on 10 nodes respecting requests, taints and node affinity, never overcommitting', async () => {
    const { client } = await startApiServer();
    const nodes: Node[] = [];
    for (let i = 1; i <= 10; i++) {
      const node = makeNode()
        .name(`node-${i}`)
        .labels({ zone: i <= 5 ? 'a' : 'b' })
        .capacity({ cpu: '4', memory: '8Gi', pods: '110' });
      // One node per zone is kept for GPU work.
      if (i === 5 || i === 10) node.taints(gpuTaint);
      nodes.push(await createNode(client, node.obj()));
    }
    await startScheduler(client);
    const pods: Pod[] = [];
    for (let i = 0; i < 100; i++) {
      const pod = makePod()
        .name(`pod-${i}`)
        .namespace('default')
        .requests({ cpu: '300m', memory: '512Mi' });
      if (i % 10 === 0)
        pod
          .tolerations({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' })
          .nodeAffinityIn('zone', ['a']);
      else if (i % 10 === 1) pod.nodeSelector({ zone: 'b' });
      pods.push(pod.obj());
    }
    await Promise.all(pods.map((p) => client.pods('default').create(p)));

    await eventually(
      async () => (await listPods(client)).every((p) => p.spec.nodeName),
      'all 100 pods bound',
      15_000,
    ).catch(async (err: unknown) => {
      const unbound = (await listPods(client)).filter((p) => !p.spec.nodeName);
      throw new Error(
        `${String(err)}: ${JSON.stringify(unbound.slice(0, 3).map((p) => [p.metadata.name, p.status]))} ${unbound.length}`,
      );
    });
    const bound = await listPods(client);
    expect(bound).toHaveLength(100);
    const byNode = new Map<string, Pod[]>();
    for (const pod of bound) {
      const node = pod.spec.nodeName ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
      const index = Number(pod.metadata.name?.split('-')[1]);
      const zone = Number(node.split('-')[1]) <= 5 ? 'a' : 'b';
      if (index % 10 === 0) expect(zone, `${pod.metadata.name} has affinity for zone a`).toBe('a');
      else {
        expect(
          ['node-5', 'node-10'],
          `${pod.metadata.name} does not tolerate the gpu taint`,
        ).not.toContain(node);
        if (index % 10 === 1) expect(zone, `${pod.metadata.name} selects zone b`).toBe('b');
      }
      expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    }
    for (const node of nodes) {
      const onNode = byNode.get(node.metadata.name ?? '') ?? [];
      const sum = (resource: string): number =>
        onNode.reduce(
          (total, p) =>
            total + amount(resource, p.spec.containers[0]?.resources?.requests?.[resource] ?? '0'),
          0,
        );
      expect(sum(CPU)).toBeLessThanOrEqual(amount(CPU, '4'));
      expect(sum(MEMORY)).toBeLessThanOrEqual(amount(MEMORY, '8Gi'));
    }
    // Load spreads (LeastAllocated): every untainted node got pods.
    for (const n of nodes.filter((n) => !n.spec?.taints)) {
      expect(byNode.get(n.metadata.name ?? '')?.length ?? 0, n.metadata.name).toBeGreaterThan(0);
    }
  });

  it('fills nodes to exactly their capacity and leaves the rest pending, even when pods arrive faster than the watch', async () => {
    const { client } = await startApiServer();
    for (let i = 1; i <= 10; i++) {
      await createNode(
        client,
        makeNode().name(`node-${i}`).capacity({ cpu: '1', memory: '1Gi', pods: '110' }).obj(),
      );
    }
    await startScheduler(client);
    // 3 of these fit per node: 30 can run, 10 cannot.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        client
          .pods('default')
          .create(makePod().name(`p-${i}`).namespace('default').requests({ cpu: '300m' }).obj()),
      ),
    );
    const settled = async (): Promise<boolean> => {
      const pods = await listPods(client);
      const bound = pods.filter((p) => p.spec.nodeName).length;
      const refused = pods.filter((p) =>
        p.status?.conditions?.some((c) => c.reason === 'Unschedulable'),
      ).length;
      return bound === 30 && refused === 10;
    };
    await eventually(settled, '30 pods bound and 10 marked Unschedulable');
    const perNode = new Map<string, number>();
    for (const p of await listPods(client)) {
      if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    }
    expect([...perNode.values()]).toEqual(Array.from({ length: 10 }, () => 3));
  });

  it('marks a pod no node fits Unschedulable with an event, and binds it once a fitting node is added', async () => {
    const { client } = await startApiServer();
    await createNode(
      client,
      makeNode().name('small').capacity({ cpu: '1', memory: '4Gi', pods: '110' }).obj(),
    );
    await createNode(
      client,
      makeNode()
        .name('gpu')
        .capacity({ cpu: '8', memory: '4Gi', pods: '110' })
        .taints(gpuTaint)
        .obj(),
    );
    await createNode(
      client,
      makeNode()
        .name('cordoned')
        .capacity({ cpu: '8', memory: '4Gi', pods: '110' })
        .unschedulable()
        .obj(),
    );
    const metricsRegistry = new Registry();
    await startScheduler(client, { metricsRegistry });
    await client
      .pods('default')
      .create(makePod().name('big').namespace('default').requests({ cpu: '2' }).obj());

    const expected =
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. ' +
      'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..';
    let condition: NonNullable<Pod['status']>['conditions'] extends (infer C)[] | undefined
      ? C | undefined
      : never;
    await eventually(async () => {
      const pod = await client.pods('default').get('big');
      condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      return condition?.status === 'False';
    }, 'the PodScheduled=False condition');
    expect(condition).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: expected,
    });
    await eventually(async () => {
      const events = await client.events('default').list();
      return events.items.some(
        (e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'big',
      );
    }, 'the FailedScheduling event');
    const failed = (await client.events('default').list()).items.find(
      (e) => e.reason === 'FailedScheduling',
    );
    expect(failed).toMatchObject({
      type: 'Warning',
      message: expected,
      source: { component: 'default-scheduler' },
    });

    await createNode(
      client,
      makeNode().name('roomy').capacity({ cpu: '4', memory: '4Gi', pods: '110' }).obj(),
    );
    await eventually(
      async () => (await client.pods('default').get('big')).spec.nodeName === 'roomy',
      'the pod bound to the new node',
    );
    // "Within a second of the node being added": the node's own events brought the pod back,
    // and nothing waited on a timer — no backoff ran out, no periodic flush. How long the
    // apiserver and the watch took on this machine is not the scheduler's to promise;
    // node-add-requeue.test.ts shows the same on a fake clock that never moves.
    const moves = await metricsRegistry
      .getSingleMetric('scheduler_queue_incoming_pods_total')
      ?.get();
    const movedBy = new Set(moves?.values.map((v) => String(v.labels['event'])));
    expect([...movedBy].some((event) => event.startsWith('Node'))).toBe(true);
    expect(movedBy).not.toContain('BackoffComplete');
    expect(movedBy).not.toContain('UnschedulableTimeout');
    await eventually(async () => {
      const events = await client.events('default').list();
      return events.items.some(
        (e) =>
          e.reason === 'Scheduled' && e.message === 'Successfully assigned default/big to roomy',
      );
    }, 'the Scheduled event');
  });

  it('forgets a pod whose binding answers 409 because another scheduler bound it first, and does not retry it', async () => {
    const { client } = await startApiServer();
    await createNode(
      client,
      makeNode().name('ours').capacity({ cpu: '4', memory: '4Gi', pods: '110' }).obj(),
    );
    // A binder that loses the race: another scheduler binds the pod to 'theirs' just before it.
    const racing = (handle: Handle): BindPlugin => {
      const binder = new DefaultBinder(handle);
      return {
        name: 'RacingBinder',
        async bind(state, pod, nodeName) {
          await client.pods('default').createSubresource(pod.metadata.name ?? '', 'binding', {
            apiVersion: 'v1',
            kind: 'Binding',
            metadata: { name: pod.metadata.name ?? '' },
            target: { kind: 'Node', name: 'theirs' },
          });
          return binder.bind(state, pod, nodeName);
        },
      };
    };
    const logged: string[] = [];
    const config = decodeSchedulerConfig({
      apiVersion: API_VERSION,
      kind: KIND,
      profiles: [
        { plugins: { bind: { disabled: [{ name: '*' }], enabled: [{ name: 'RacingBinder' }] } } },
      ],
    });
    const scheduler = await startScheduler(client, {
      config,
      registry: { ...inTreeRegistry, RacingBinder: (_args, handle) => racing(handle) },
      log: (m) => logged.push(m),
    });
    await client
      .pods('default')
      .create(makePod().name('raced').namespace('default').requests({ cpu: '1' }).obj());
    await eventually(
      async () => logged.some((m) => m.includes('not retrying default/raced')),
      'the 409 to be handled',
    );
    expect(logged.join('\n')).toContain('is already assigned to node "theirs"');
    expect((await client.pods('default').get('raced')).spec.nodeName).toBe('theirs');
    expect(scheduler.queue.pendingPods()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
    expect(scheduler.cache.isAssumedPod(await client.pods('default').get('raced'))).toBe(false);
    const events = await client.events('default').list();
    expect(
      events.items.filter((e) => e.reason === 'FailedScheduling' || e.reason === 'Scheduled'),
    ).toEqual([]);
  });

  it('writes nothing — no binding, event or condition — once it may no longer write (a deposed leader)', async () => {
    const { client } = await startApiServer();
    await createNode(
      client,
      makeNode().name('n1').capacity({ cpu: '4', memory: '4Gi', pods: '110' }).obj(),
    );
    const metricsRegistry = new Registry();
    await startScheduler(client, { mayWrite: () => false, metricsRegistry });
    await client.pods('default').create(makePod().name('p').namespace('default').obj());
    const errors = async (): Promise<number> => {
      const metric = await metricsRegistry
        .getSingleMetric('scheduler_schedule_attempts_total')
        ?.get();
      return metric?.values.find((v) => v.labels['result'] === 'error')?.value ?? 0;
    };
    // The attempt ran to the point of binding and stopped there.
    await eventually(async () => (await errors()) >= 1, 'a refused binding attempt');
    const pod = await client.pods('default').get('p');
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toBeUndefined();
    expect((await client.events('default').list()).items).toEqual([]);
  });

  it('keeps the pods of one app on different nodes under required anti-affinity, and leaves the one too many Unschedulable', async () => {
    const { client } = await startApiServer();
    for (let i = 1; i <= 4; i++) {
      const name = `node-${i}`;
      await createNode(
        client,
        makeNode()
          .name(name)
          .labels({ [HOSTNAME]: name })
          .capacity({ cpu: '4', memory: '8Gi', pods: '110' })
          .obj(),
      );
    }
    await startScheduler(client);
    // Five replicas that refuse to share a node, created at once: the assumed ones must count.
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.pods('default').create(
          makePod()
            .name(`web-${i}`)
            .namespace('default')
            .labels({ app: 'web' })
            .podAntiAffinity({
              topologyKey: HOSTNAME,
              labelSelector: { matchLabels: { app: 'web' } },
            })
            .obj(),
        ),
      ),
    );
    const settled = async (): Promise<boolean> => {
      const pods = await listPods(client);
      const refused = pods.filter((p) =>
        p.status?.conditions?.some((c) => c.reason === 'Unschedulable'),
      );
      return pods.filter((p) => p.spec.nodeName).length === 4 && refused.length === 1;
    };
    await eventually(settled, '4 pods bound and 1 marked Unschedulable');
    const pods = await listPods(client);
    const nodes = pods.flatMap((p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
    expect(new Set(nodes).size).toBe(4);
    const refused = pods.find((p) => !p.spec.nodeName);
    expect(refused?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toContain(
      "0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules.",
    );
  });

  it('keeps the pods of a zone spread constraint within maxSkew', async () => {
    const { client } = await startApiServer();
    const zones = ['a', 'b', 'c'];
    for (const zone of zones) {
      for (let i = 1; i <= 2; i++) {
        const name = `node-${zone}${i}`;
        await createNode(
          client,
          makeNode()
            .name(name)
            .labels({ [HOSTNAME]: name, [ZONE]: zone })
            .capacity({ cpu: '8', memory: '16Gi', pods: '110' })
            .obj(),
        );
      }
    }
    await startScheduler(client);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.pods('default').create(
          makePod()
            .name(`web-${i}`)
            .namespace('default')
            .labels({ app: 'web' })
            .topologySpreadConstraint({
              maxSkew: 1,
              topologyKey: ZONE,
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: 'web' } },
            })
            .obj(),
        ),
      ),
    );
    await eventually(
      async () => (await listPods(client)).every((p) => p.spec.nodeName),
      'all 12 pods bound',
    );
    const perZone = new Map<string, number>(zones.map((z) => [z, 0]));
    for (const pod of await listPods(client)) {
      const zone = pod.spec.nodeName?.slice('node-'.length, 'node-'.length + 1) ?? '';
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    }
    // Every pod was placed within maxSkew 1 of the others, so twelve end up four per zone.
    expect(Object.fromEntries(perZone)).toEqual({ a: 4, b: 4, c: 4 });
  });

  it('spreads the pods a Service selects over the nodes by default, though one node is far roomier', async () => {
    const { client } = await startApiServer();
    // Without spreading, LeastAllocated would put all nine pods on the roomy node-1.
    await createNodesWithCpu(client, { 'node-1': '64', 'node-2': '4', 'node-3': '4' });
    await client
      .services('default')
      .create(makeService().name('web').selector({ app: 'web' }).port(80).obj());
    await startScheduler(client);
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        client
          .pods('default')
          .create(
            makePod()
              .name(`web-${i}`)
              .namespace('default')
              .labels({ app: 'web' })
              .requests({ cpu: '100m', memory: '128Mi' })
              .obj(),
          ),
      ),
    );
    await eventually(
      async () => (await listPods(client)).every((p) => p.spec.nodeName),
      'all 9 pods bound',
    );
    const perNode = new Map<string, number>();
    for (const pod of await listPods(client)) {
      const node = pod.spec.nodeName ?? '';
      perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
    // The system default (hostname, maxSkew 3, ScheduleAnyway) scores the emptiest node first.
    expect(Object.fromEntries(perNode)).toEqual({ 'node-1': 3, 'node-2': 3, 'node-3': 3 });
  });

  it('matches a namespaceSelector against the namespace’s own labels', async () => {
    const { client } = await startApiServer();
    await createNodesWithCpu(client, { 'node-1': '64', 'node-2': '4' });
    await client
      .namespaces()
      .create(makeNamespace().name('payments').labels({ team: 'pay' }).obj());
    // Already running on the roomy node-1, in a namespace labelled team=pay.
    await client
      .pods('payments')
      .create(
        makePod()
          .name('ledger')
          .namespace('payments')
          .labels({ app: 'ledger' })
          .node('node-1')
          .obj(),
      );
    await startScheduler(client);
    await client.pods('default').create(
      makePod()
        .name('audit')
        .namespace('default')
        .podAntiAffinity({
          topologyKey: HOSTNAME,
          labelSelector: { matchLabels: { app: 'ledger' } },
          namespaceSelector: { matchLabels: { team: 'pay' } },
        })
        .obj(),
    );
    await eventually(
      async () => (await client.pods('default').get('audit')).spec.nodeName !== undefined,
      'audit bound',
    );
    expect((await client.pods('default').get('audit')).spec.nodeName).toBe('node-2');
  });
});
