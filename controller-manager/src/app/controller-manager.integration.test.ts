// The controller-manager process shape against a real apiserver: two replicas under one Lease
// (kube-system/kube-controller-manager), only the leader reconciles; /healthz and /metrics with
// the workqueue_* family per controller.
import { isNotFound } from '@skiff/api';
import { makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';

const fast = {
  leaderElect: true,
  // This test is not about lease timing: Kubernetes' default lease, long enough that a leader
  // starved on a busy 2-core machine keeps it; the first candidate leads at once anyway.
  leaderElectLeaseDurationMs: 15_000,
  leaderElectRenewDeadlineMs: 10_000,
  leaderElectRetryPeriodMs: 500,
};

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  return `${res.status} ${await res.text()}`;
}

// A real apiserver and two controller-managers in one process: the time a loaded machine needs.
describe('controller-manager', { timeout: 120_000 }, () => {
  it('runs its controllers on one leader only, and serves /healthz and /metrics', async () => {
    const api = await startApiServer();
    const one = await startControllerManagerFor(api, { ...fast, controllers: ['replicaset'] });
    const two = await startControllerManagerFor(api, { ...fast, controllers: ['replicaset'] });
    expect(one.started).toEqual(['replicaset']);

    const lease = await eventually(
      () =>
        api.client
          .leases('kube-system')
          .get('kube-controller-manager')
          .catch((err: unknown) => {
            if (isNotFound(err)) return undefined;
            throw err;
          }),
      (l) => (l?.spec?.holderIdentity ?? '') !== '',
      'a leader',
    );
    await api.client
      .replicaSets('default')
      .create(makeReplicaSet().name('web').namespace('default').replicas(3).obj());
    await eventually(
      async () => (await api.client.pods('default').list()).items.length,
      (n) => n === 3,
      'three pods',
    );

    const leaderIsOne = one.manager.isLeader();
    expect(two.manager.isLeader()).toBe(!leaderIsOne);
    const [leader, standby] = leaderIsOne ? [one, two] : [two, one];
    expect(lease?.spec?.holderIdentity).toBeTruthy();

    const url = (run: typeof one) => run.manager.httpUrl() ?? '';
    expect(await text(`${url(leader)}/healthz`)).toBe('200 ok');
    const metrics = await eventually(
      () => text(`${url(leader)}/metrics`),
      (m) =>
        /controller_runtime_reconcile_total\{controller="replicaset",result="success"\} [1-9]/.test(
          m,
        ),
      'leader reconcile metrics',
    );
    expect(metrics).toMatch(/workqueue_adds_total\{name="replicaset"\} [1-9]/);
    expect(metrics).toContain('leader_election_master_status');
    const standbyMetrics = await text(`${url(standby)}/metrics`);
    expect(standbyMetrics).not.toMatch(
      /controller_runtime_reconcile_total\{controller="replicaset",[^}]*\} [1-9]/,
    );
  });

  it('starts the selected controllers, the garbage collector included (none is left unwritten), serving /healthz once started', async () => {
    const api = await startApiServer();
    const run = await startControllerManagerFor(api, {
      controllers: ['replicaset', 'garbagecollector'],
    });
    expect(run.started).toEqual(['replicaset', 'garbagecollector']);
    expect(run.notImplemented).toEqual([]);
    // Started means serving: /healthz answers at once, before the caches have synced.
    expect(await text(`${run.manager.httpUrl() ?? 'no URL'}/healthz`)).toBe('200 ok');
  });
});
