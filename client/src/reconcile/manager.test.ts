// The manager against a real apiserver: leader election gating (two managers, one reconciles;
// the other takes over when the leader stops; a leader that loses its lease stops at once),
// graceful shutdown that drains the queues, and the HTTP endpoints.
import { errorMessage } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestCluster, until, type TestCluster } from '../informers/testing/test-cluster.js';
import { controllerFor } from './builder.js';
import { Manager, type ManagerOptions } from './manager.js';
import type { Request } from './reconciler.js';
import { addMirrorController } from './testing/mirror-controller.js';

const NS = 'default';
// Short real-time durations, so a takeover happens in about a second.
// Retries fast, so a standby takes a released lease quickly; the lease itself is long enough
// (Kubernetes' defaults) that a leader starved on a busy machine does not lose it.
const ELECTION = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 300 };

interface Running {
  readonly manager: Manager;
  readonly reconciled: string[];
  readonly stop: AbortController;
  /** Settles when start() does: 'stopped' or the rejection's message. */
  readonly ended: Promise<string>;
}

function runManager(
  cluster: TestCluster,
  identity: string,
  options: Partial<ManagerOptions> = {},
): Running {
  const reconciled: string[] = [];
  const manager = new Manager({
    client: cluster.client,
    registry: new Registry(),
    log: () => undefined,
    leaderElection: { namespace: NS, name: 'recorder', identity, ...ELECTION },
    ...options,
  });
  controllerFor(manager)
    .for('configMaps')
    .complete(async (request) => {
      reconciled.push(request.name);
      return {};
    });
  const stop = new AbortController();
  const ended = manager.start(stop.signal).then(() => 'stopped', errorMessage);
  onTestFinished(async () => {
    stop.abort();
    await ended;
  });
  return { manager, reconciled, stop, ended };
}

async function holder(cluster: TestCluster): Promise<string | undefined> {
  const lease = await cluster.client.leases(NS).get('recorder');
  return lease.spec?.holderIdentity || undefined;
}

describe('Manager with leader election', () => {
  it('reconciles only in the leader; the standby takes over when the leader stops', async () => {
    const cluster = await startTestCluster();
    const a = runManager(cluster, 'a');
    await until(() => a.manager.isLeader(), 'a to lead');
    const b = runManager(cluster, 'b');

    await cluster.client.configMaps(NS).create({ metadata: { name: 'first', namespace: NS } });
    await until(() => a.reconciled.includes('first'), 'the leader to reconcile');
    // b's cache has the ConfigMap too (its informers run), but b must not act on it.
    await until(
      () => b.manager.informers.core.v1.configMaps().indexer.list().length > 0,
      'b cache',
    );
    expect(b.reconciled).toEqual([]);
    expect(b.manager.isLeader()).toBe(false);

    a.stop.abort();
    expect(await a.ended).toBe('stopped');
    await until(() => b.manager.isLeader(), 'b to take over', 10_000);
    expect(await holder(cluster)).toBe('b');
    await cluster.client.configMaps(NS).create({ metadata: { name: 'second', namespace: NS } });
    await until(() => b.reconciled.includes('second'), 'the new leader to reconcile');
    // What b queued while standing by is reconciled once it leads: level-triggered, nothing lost.
    expect(b.reconciled).toContain('first');
  });

  it('stops reconciling at once and rejects when the lease is taken away', async () => {
    const cluster = await startTestCluster();
    const a = runManager(cluster, 'a');
    await until(() => a.manager.isLeader(), 'a to lead');

    const lease = await cluster.client.leases(NS).get('recorder');
    await cluster.client.leases(NS).update({
      ...lease,
      spec: { ...lease.spec, holderIdentity: 'usurper', leaseDurationSeconds: 60 },
    });
    expect(await a.ended).toMatch(/leader election lost \(lease default\/recorder\)/);
    await cluster.client.configMaps(NS).create({ metadata: { name: 'late', namespace: NS } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a.reconciled).not.toContain('late');
    expect(await holder(cluster)).toBe('usurper');
  });
});

describe('Manager shutdown', () => {
  it('drains: queued and in-flight keys finish, with a live signal, before start() resolves', async () => {
    const cluster = await startTestCluster();
    for (const name of ['k1', 'k2', 'k3']) {
      await cluster.client.configMaps(NS).create({ metadata: { name, namespace: NS } });
    }
    const manager = new Manager({
      client: cluster.client,
      registry: new Registry(),
      log: () => undefined,
    });
    const finished: string[] = [];
    const abortedDuringWork: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    controllerFor(manager)
      .for('configMaps')
      .complete(async (request: Request, signal) => {
        started++;
        await gate;
        if (signal.aborted) abortedDuringWork.push(request.name);
        finished.push(request.name);
        return {};
      });
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await until(() => started === 1, 'the first reconcile to start');

    stop.abort();
    await cluster.client.configMaps(NS).create({ metadata: { name: 'after', namespace: NS } });
    release();
    await running;
    expect(finished.sort()).toEqual(['k1', 'k2', 'k3']);
    expect(abortedDuringWork).toEqual([]);
  });

  it('gives up on a reconcile that outlives the graceful timeout, aborting its signal', async () => {
    const cluster = await startTestCluster();
    await cluster.client.configMaps(NS).create({ metadata: { name: 'stuck', namespace: NS } });
    const clock = new FakeClock();
    const logs: string[] = [];
    const manager = new Manager({
      client: cluster.client,
      clock,
      registry: new Registry(),
      gracefulShutdownTimeoutMs: 5000,
      log: (message) => logs.push(message),
    });
    let inFlight = false;
    controllerFor(manager)
      .for('configMaps')
      .complete(async (_request, signal) => {
        inFlight = true;
        // A reconcile that only ends when told to.
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        return {};
      });
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await until(() => inFlight, 'the reconcile to start');
    stop.abort();
    await clock.advance(4999);
    let done = false;
    void running.then(() => (done = true));
    // Only the drain timer can end the stuck reconcile, so nothing needs wall-clock time here.
    await clock.advance(0);
    expect(done).toBe(false);
    await clock.advance(1);
    await running;
    expect(logs).toContain('queues did not drain within 5000 ms: stopping the remaining work');
  });
});

describe('Manager HTTP endpoints', () => {
  it('serves /healthz, /readyz and /metrics with controller and workqueue metrics', async () => {
    const cluster = await startTestCluster();
    const manager = new Manager({
      client: cluster.client,
      registry: new Registry(),
      http: { port: 0 },
      log: () => undefined,
    });
    addMirrorController(manager);
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    onTestFinished(async () => {
      stop.abort();
      await running;
    });
    await cluster.client.configMaps(NS).create({
      metadata: { name: 'app', namespace: NS, labels: { mirror: 'true' } },
      data: { a: '1' },
    });
    await until(() => manager.httpUrl() !== undefined, 'the listener');
    const url = manager.httpUrl() ?? '';
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');
    await expect
      .poll(async () => (await fetch(`${url}/metrics`)).text())
      .toMatch(/controller_runtime_reconcile_total\{controller="mirror",result="success"\} [1-9]/);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/workqueue_adds_total\{name="mirror"\} [1-9]/);
    expect(metrics).toContain('controller_runtime_reconcile_time_seconds_bucket');
    expect(metrics).toContain(
      'controller_runtime_max_concurrent_reconciles{controller="mirror"} 1',
    );
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
