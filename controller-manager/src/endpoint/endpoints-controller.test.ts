import type { Endpoints, Pod, Service } from '@skiff/api';
import { makePod, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, unitFixture } from '../testing/fixture.js';
import { EndpointsController, HEADLESS_LABEL } from './endpoints-controller.js';

const service = () => makeService().name('web').namespace('ns').selector({ app: 'web' }).port(80);
const readyPod = (name: string, ip: string) =>
  makePod().name(name).namespace('ns').uid(`uid-${name}`).labels({ app: 'web' }).podIP(ip).ready();

function setup(services: Service[], pods: Pod[], endpoints: Endpoints[] = []) {
  const f = unitFixture([...services, ...pods, ...endpoints]);
  const controller = new EndpointsController({
    ...f.context,
    client: f.client,
    pods: listerOf(pods),
    services: listerOf(services),
    endpoints: listerOf(endpoints),
    queue: f.queue,
  });
  const sync = (name = 'web') => controller.reconcile({ namespace: 'ns', name }, f.signal);
  return { ...f, controller, sync };
}

describe('Endpoints controller sync', () => {
  it('creates the Endpoints of a service, named like it, with its labels', async () => {
    const svc = service().labels({ tier: 'front' }).obj();
    const t = setup([svc], [readyPod('a', '10.0.0.1').obj()]);
    await t.sync();
    expect(t.client.actions().map((a) => [a.verb, a.resource])).toEqual([['create', 'endpoints']]);
    const created = await t.client.endpoints('ns').get('web');
    expect(created.metadata.labels).toEqual({ tier: 'front' });
    expect(created.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
  });

  it('writes nothing when the Endpoints already say it', async () => {
    const svc = service().obj();
    const pods = [readyPod('a', '10.0.0.1').obj()];
    const first = setup([svc], pods);
    await first.sync();
    const stored = await first.client.endpoints('ns').get('web');
    const t = setup([svc], pods, [stored]);
    await t.sync();
    expect(t.client.actions()).toEqual([]);
  });

  it('updates the Endpoints when a pod stops being ready', async () => {
    const svc = service().obj();
    const first = setup([svc], [readyPod('a', '10.0.0.1').obj()]);
    await first.sync();
    const stored = await first.client.endpoints('ns').get('web');
    const t = setup([svc], [readyPod('a', '10.0.0.1').ready(false).obj()], [stored]);
    await t.sync();
    expect(t.client.actions().map((a) => [a.verb, a.resource])).toEqual([['update', 'endpoints']]);
    const updated = t.client.actions()[0]?.object as Endpoints;
    expect(updated.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
    expect(updated.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
  });

  it('marks the Endpoints of a headless service', async () => {
    const t = setup([service().clusterIP('None').obj()], []);
    await t.sync();
    expect((await t.client.endpoints('ns').get('web')).metadata.labels).toEqual({
      [HEADLESS_LABEL]: '',
    });
  });

  it('deletes the Endpoints of a service that is gone, and leaves those of selector-less services alone', async () => {
    const stale: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'ns' },
      subsets: [],
    };
    const t = setup([], [], [stale]);
    await t.sync();
    expect(t.client.actions().map((a) => [a.verb, a.name])).toEqual([['delete', 'web']]);

    const manual = makeService()
      .name('db')
      .namespace('ns')
      .port(5432)
      .spec({ selector: undefined })
      .obj();
    const u = setup([manual], []);
    await u.sync('db');
    expect(u.client.actions()).toEqual([]);
  });
});

describe('Endpoints controller event handlers', () => {
  it('wakes the services of a pod whose readiness changed, old and new labels alike', () => {
    const web = service().obj();
    const api = makeService().name('api').namespace('ns').selector({ app: 'api' }).port(80).obj();
    const t = setup([web, api], []);
    const before = readyPod('a', '10.0.0.1').resourceVersion('1').obj();
    t.controller.onPodUpdate(before, {
      ...before,
      metadata: { ...before.metadata, resourceVersion: '2' },
    });
    expect(t.queued).toEqual([]);
    const moved = readyPod('a', '10.0.0.1').resourceVersion('3').labels({ app: 'api' }).obj();
    t.controller.onPodUpdate(before, moved);
    expect(t.queued.sort()).toEqual(['ns/api', 'ns/web']);
  });
});
