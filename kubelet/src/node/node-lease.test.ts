import { apiErrors, type Lease } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { createFakeClient } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { NODE_LEASE_NAMESPACE, NodeLeaseController, microTime } from './node-lease.js';

async function lease(client: ReturnType<typeof createFakeClient>): Promise<Lease> {
  return client.leases(NODE_LEASE_NAMESPACE).get('node-1');
}

describe('NodeLeaseController', () => {
  it('creates the lease owned by the node, then renews it every 10 s', async () => {
    const clock = new FakeClock();
    const client = createFakeClient({ clock });
    const controller = new NodeLeaseController({
      client,
      clock,
      nodeName: 'node-1',
      nodeUid: () => 'node-uid',
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    await clock.advance(0);
    const created = await lease(client);
    expect(created.spec).toEqual({
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      renewTime: microTime(clock.now()),
    });
    expect(created.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'node-uid' },
    ]);
    const start = clock.now();
    await clock.advance(10_000);
    expect((await lease(client)).spec?.renewTime).toBe(microTime(start + 10_000));
    await clock.advance(10_000);
    expect((await lease(client)).spec?.renewTime).toBe(microTime(start + 20_000));
    stop.abort();
    await running;
  });

  it('writes the configured lease duration (nodeLeaseDurationSeconds)', async () => {
    const clock = new FakeClock();
    const client = createFakeClient({ clock });
    const controller = new NodeLeaseController({
      client,
      clock,
      nodeName: 'node-1',
      nodeUid: () => 'node-uid',
      leaseDurationSeconds: 20,
      renewIntervalMs: 5_000,
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    await clock.advance(0);
    expect((await lease(client)).spec?.leaseDurationSeconds).toBe(20);
    const start = clock.now();
    await clock.advance(5_000);
    expect((await lease(client)).spec).toMatchObject({
      leaseDurationSeconds: 20,
      renewTime: microTime(start + 5_000),
    });
    stop.abort();
    await running;
  });

  it('retries a failed renewal after 200 ms, doubling to 7 s', async () => {
    const clock = new FakeClock();
    const client = createFakeClient({ clock });
    let failures = 9;
    const attempts: number[] = [];
    client.prependReactor('*', 'leases', (action) => {
      if (action.verb === 'get' || action.verb === 'create') attempts.push(clock.now());
      if (failures > 0 && action.verb === 'get') {
        failures--;
        return { error: apiErrors.serviceUnavailable('etcd is sleeping') };
      }
      return undefined;
    });
    const controller = new NodeLeaseController({
      client,
      clock,
      nodeName: 'node-1',
      nodeUid: () => undefined,
      log: () => undefined,
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    await clock.advance(0);
    for (let i = 0; i < 10; i++) await clock.advance(7000);
    const t0 = attempts[0] ?? 0;
    // 200, 400, … 6400, then capped at 7000; the tenth try succeeds.
    expect(attempts.slice(0, 10).map((t) => t - t0)).toEqual([
      0, 200, 600, 1400, 3000, 6200, 12_600, 19_600, 26_600, 33_600,
    ]);
    expect((await lease(client)).spec?.holderIdentity).toBe('node-1');
    stop.abort();
    await running;
  });
});
