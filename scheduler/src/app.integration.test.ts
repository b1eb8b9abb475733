// Two scheduler processes' worth of apps on one real apiserver: only the lease holder binds, the
// standby answers explain requests with 503 naming the leader, the leader's decisions match
// the bindings, and the standby takes over when the leader stops.
import type { Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import type { Client } from '@skiff/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSchedulerApp, type SchedulerApp } from './app.js';
import type { Decision, DecisionSummary } from './explain/index.js';
import { API_VERSION, decodeSchedulerConfig, KIND } from './profile/index.js';
import { createNode, eventually, startApiServer } from './scheduler/testing/cluster.js';

// Kubernetes' default timings (15 s / 10 s / 2 s): shorter ones make a busy 2-core machine lose
// the lease for real. Failover is fast anyway: a stopping leader releases the lease.
const config = decodeSchedulerConfig({ apiVersion: API_VERSION, kind: KIND });

async function startApp(client: Client, identity: string, logged: string[]): Promise<SchedulerApp> {
  const app = await startSchedulerApp({
    client,
    config,
    port: 0,
    host: '127.0.0.1',
    identity,
    log: (m) => logged.push(`${identity}: ${m}`),
  });
  onTestFinished(() => app.stop());
  return app;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

// A real apiserver in this process: each wait is for a real condition (`eventually`, up to
// 30 s each); the test gets the time a loaded 2-core machine needs.
describe('scheduler app with leader election', { timeout: 120_000 }, () => {
  it('binds each pod once through the leader, explains its decisions, and fails over to the standby', async () => {
    const { client } = await startApiServer();
    for (let i = 1; i <= 4; i++) {
      await createNode(
        client,
        makeNode().name(`node-${i}`).capacity({ cpu: '4', memory: '8Gi', pods: '110' }).obj(),
      );
    }
    const logged: string[] = [];
    const a = await startApp(client, 'scheduler-a', logged);
    const b = await startApp(client, 'scheduler-b', logged);
    await eventually(async () => Promise.resolve(a.isLeader() || b.isLeader()), 'a leader');
    const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
    const leaderName = leader === a ? 'scheduler-a' : 'scheduler-b';

    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client
          .pods('default')
          .create(makePod().name(`pod-${i}`).namespace('default').requests({ cpu: '100m' }).obj()),
      ),
    );
    const pods = async (): Promise<Pod[]> => (await client.pods('default').list()).items;
    await eventually(async () => (await pods()).every((p) => p.spec.nodeName), 'all pods bound');

    // The leader's decision for each pod names the node the pod is bound to.
    for (const pod of await pods()) {
      const { status, body } = await getJson<Decision>(
        `${leader.url}/debug/decisions/default/${pod.metadata.name ?? ''}`,
      );
      expect(status).toBe(200);
      expect(body.node).toBe(pod.spec.nodeName);
      const chosen = body.nodes.find((n) => n.name === body.node);
      expect(chosen?.filter).toBeNull();
      expect(Object.keys(chosen?.scores ?? {})).toEqual(
        expect.arrayContaining([
          'NodeResourcesFit',
          'NodeResourcesBalancedAllocation',
          'TaintToleration',
        ]),
      );
      expect(chosen?.total).toBe(Math.max(...body.nodes.map((n) => n.total)));
    }
    const listed = await getJson<{ items: DecisionSummary[] }>(`${leader.url}/debug/decisions`);
    expect(listed.body.items).toHaveLength(30);
    // The standby names the leader once it has read the lease (its next retry).
    await eventually(async () => {
      const refused = await getJson<{ leader: string | null }>(`${standby.url}/debug/decisions`);
      expect(refused.status).toBe(503);
      return refused.body.leader === leaderName;
    }, 'the standby to name the leader');

    // Each pod was bound once: one Scheduled event each, written by the leader only.
    const scheduledEvents = async () =>
      (await client.events('default').list()).items.filter((e) => e.reason === 'Scheduled');
    await eventually(async () => (await scheduledEvents()).length >= 30, '30 Scheduled events');
    const scheduled = await scheduledEvents();
    expect(scheduled).toHaveLength(30);
    expect(new Set(scheduled.map((e) => e.involvedObject.name)).size).toBe(30);
    expect(scheduled.every((e) => e.count === 1)).toBe(true);
    expect(logged.filter((m) => m.includes('not retrying'))).toEqual([]);

    // The leader steps down (releasing the lease); the standby takes over and schedules.
    await leader.stop();
    await eventually(async () => Promise.resolve(standby.isLeader()), 'the standby to lead');
    await client
      .pods('default')
      .create(makePod().name('late').namespace('default').requests({ cpu: '100m' }).obj());
    await eventually(
      async () => Boolean((await client.pods('default').get('late')).spec.nodeName),
      'the late pod bound',
    );
    const late = await getJson<Decision>(`${standby.url}/debug/decisions/default/late`);
    expect(late.body.node).toBe((await client.pods('default').get('late')).spec.nodeName);
  });

  it('explains an unschedulable pod node by node', async () => {
    const { client } = await startApiServer();
    await createNode(
      client,
      makeNode().name('small').capacity({ cpu: '1', memory: '1Gi', pods: '110' }).obj(),
    );
    await createNode(
      client,
      makeNode()
        .name('gpu')
        .capacity({ cpu: '8', memory: '1Gi', pods: '110' })
        .taints({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })
        .obj(),
    );
    const app = await startApp(client, 'solo', []);
    await client
      .pods('default')
      .create(makePod().name('big').namespace('default').requests({ cpu: '2' }).obj());
    let decision: Decision | undefined;
    await eventually(async () => {
      const { status, body } = await getJson<Decision>(`${app.url}/debug/decisions/default/big`);
      decision = body;
      return status === 200;
    }, 'a decision for the pod');
    expect(decision?.message).toContain(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}.',
    );
    expect(decision).toMatchObject({
      pod: 'default/big',
      node: null,
      nodes: [
        {
          name: 'gpu',
          filter: {
            plugin: 'TaintToleration',
            reason: 'node(s) had untolerated taint {dedicated: gpu}',
          },
          scores: {},
          total: 0,
        },
        {
          name: 'small',
          filter: { plugin: 'NodeResourcesFit', reason: 'Insufficient cpu' },
          scores: {},
          total: 0,
        },
      ],
    });
    const missing = await getJson<{ message: string }>(`${app.url}/debug/decisions/default/nope`);
    expect(missing.status).toBe(404);
  });
});
