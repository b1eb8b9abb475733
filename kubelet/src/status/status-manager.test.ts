import type { Pod, PodStatus } from '@skiff/api';
import { FakeClock, makePod } from '@skiff/api/testing';
import { createFakeClient } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { StatusManager } from './status-manager.js';

function setup(pods: Pod[]) {
  const clock = new FakeClock();
  const client = createFakeClient({ clock, objects: pods });
  const manager = new StatusManager({
    client,
    clock,
    apiPod: (uid) => pods.find((p) => p.metadata.uid === uid),
    log: () => undefined,
  });
  const writes = () =>
    client
      .actions()
      .filter((a) => a.verb !== 'get')
      .map((a) => [a.verb, a.name, a.subresource ?? '']);
  return { clock, client, manager, writes };
}

const running: PodStatus = { phase: 'Running', podIP: '10.88.0.5' };

describe('StatusManager', () => {
  it('batches: the latest status set within the window is the one written, once', async () => {
    const pod = makePod().name('a').namespace('ns').uid('u1').obj();
    const { clock, client, manager, writes } = setup([pod]);
    manager.setPodStatus(pod, { phase: 'Pending' });
    manager.setPodStatus(pod, running);
    expect(writes()).toEqual([]);
    await clock.advance(50);
    expect(writes()).toEqual([['patch', 'a', 'status']]);
    expect((await client.pods('ns').get('a')).status).toMatchObject(running);
  });

  it('writes at the end of the turn, without waiting for more', async () => {
    const pod = makePod().name('a').namespace('ns').uid('u1').obj();
    const { clock, manager, writes } = setup([pod]);
    manager.setPodStatus(pod, running);
    await clock.advance(0);
    expect(writes()).toEqual([['patch', 'a', 'status']]);
  });

  it('writes statuses set while a write is in flight after it, the latest per pod', async () => {
    const a = makePod().name('a').namespace('ns').uid('u1').obj();
    const b = makePod().name('b').namespace('ns').uid('u2').obj();
    const { clock, client, manager, writes } = setup([a, b]);
    manager.setPodStatus(a, { phase: 'Pending' });
    const first = manager.flush();
    manager.setPodStatus(a, running);
    manager.setPodStatus(b, { phase: 'Pending' });
    manager.setPodStatus(b, running);
    await first;
    await clock.advance(0);
    await manager.flush();
    expect(writes()).toEqual([
      ['patch', 'a', 'status'],
      ['patch', 'a', 'status'],
      ['patch', 'b', 'status'],
    ]);
    expect((await client.pods('ns').get('b')).status).toMatchObject(running);
  });

  it('writes nothing when the status did not change', async () => {
    const pod = makePod().name('a').namespace('ns').uid('u1').status(running).obj();
    const { clock, manager, writes } = setup([pod]);
    manager.setPodStatus(pod, structuredClone(running));
    await clock.advance(1000);
    expect(writes()).toEqual([]);
    manager.setPodStatus(pod, { ...running, phase: 'Succeeded' });
    await clock.advance(50);
    manager.setPodStatus(pod, { ...running, phase: 'Succeeded' });
    await clock.advance(50);
    expect(writes()).toEqual([['patch', 'a', 'status']]);
  });

  it("writes a static pod's status to its mirror's UID, and waits while it has no mirror", async () => {
    const mirror = makePod().name('web-node-1').namespace('ns').uid('mirror-uid').obj();
    const staticPod = makePod().name('web-node-1').namespace('ns').uid('static-uid').obj();
    const clock = new FakeClock();
    const client = createFakeClient({ clock, objects: [mirror] });
    let mirrorUid: string | undefined = undefined;
    const manager = new StatusManager({
      client,
      clock,
      apiPod: () => undefined,
      apiUid: () => mirrorUid,
      log: () => undefined,
    });
    manager.setPodStatus(staticPod, running);
    await clock.advance(50);
    expect(client.actions().filter((a) => a.verb === 'patch')).toEqual([]);
    mirrorUid = 'mirror-uid';
    await clock.advance(1000);
    expect(client.actions().filter((a) => a.verb === 'patch')).toHaveLength(1);
    expect((await client.pods('ns').get('web-node-1')).status).toMatchObject(running);
  });

  it('writes the final status of a terminated pod, then deletes it with grace 0', async () => {
    const pod = makePod().name('a').namespace('ns').uid('u1').obj();
    const { clock, client, manager } = setup([pod]);
    manager.terminatePod(pod, { phase: 'Failed' });
    await clock.advance(50);
    const deletes = client.actions().filter((a) => a.verb === 'delete');
    expect(deletes.map((a) => a.name)).toEqual(['a']);
    await expect(client.pods('ns').get('a')).rejects.toThrow('not found');
  });

  it('retries a failed write a second later, and forgets a pod that is gone', async () => {
    const pod = makePod().name('a').namespace('ns').uid('u1').obj();
    const { clock, client, manager, writes } = setup([pod]);
    let fail = true;
    client.prependReactor('patch', 'pods/status', () => {
      if (!fail) return undefined;
      fail = false;
      return { error: new Error('connection reset') };
    });
    manager.setPodStatus(pod, running);
    await clock.advance(50);
    await clock.advance(1000);
    expect(writes()).toEqual([
      ['patch', 'a', 'status'],
      ['patch', 'a', 'status'],
    ]);
    const gone = makePod().name('b').namespace('ns').uid('u2').obj();
    manager.setPodStatus(gone, running);
    await clock.advance(50);
    await clock.advance(5000);
    expect(writes().filter(([, name]) => name === 'b')).toEqual([['patch', 'b', 'status']]);
  });
});
