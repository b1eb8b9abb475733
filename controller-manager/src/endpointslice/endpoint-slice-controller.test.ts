import type { EndpointSlice, Pod, Service } from '@skiff/api';
import { makePod, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, seededLister, unitFixture } from '../testing/fixture.js';
import {
  CONTROLLER_NAME,
  EndpointSliceController,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from './endpoint-slice-controller.js';

const service = () =>
  makeService()
    .name('web')
    .namespace('ns')
    .uid('svc-uid')
    .selector({ app: 'web' })
    .port(80, { name: 'http' });
const pod = (i: number) =>
  makePod()
    .name(`p${i}`)
    .namespace('ns')
    .uid(`uid-${i}`)
    .labels({ app: 'web' })
    .podIP(`10.0.0.${i + 1}`)
    .ready();

function setup(services: Service[], pods: Pod[], slices: EndpointSlice[] = [], max = 100) {
  const f = unitFixture([...services, ...pods, ...slices]);
  const sliceCache = seededLister(slices);
  const controller = new EndpointSliceController({
    ...f.context,
    client: f.client,
    pods: listerOf(pods),
    services: listerOf(services),
    endpointSlices: sliceCache.lister,
    queue: f.queue,
    maxEndpointsPerSlice: max,
  });
  const sync = () => controller.reconcile({ namespace: 'ns', name: 'web' }, f.signal);
  return { ...f, controller, sliceCache, sync };
}

describe('EndpointSlice controller sync', () => {
  it('creates labelled slices owned by the service, split at maxEndpointsPerSlice', async () => {
    const t = setup(
      [service().labels({ tier: 'front' }).obj()],
      [0, 1, 2].map((i) => pod(i).obj()),
      [],
      2,
    );
    await t.sync();
    const created = t.client.actions().map((a) => a.object as EndpointSlice);
    expect(created.map((s) => s.endpoints.length)).toEqual([2, 1]);
    expect(created[0]?.metadata).toMatchObject({
      generateName: 'web-',
      labels: { tier: 'front', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true },
      ],
    });
    expect(created[0]).toMatchObject({
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    });
  });

  it('waits for the cache to show its own writes instead of creating duplicates', async () => {
    const t = setup([service().obj()], [pod(0).obj()]);
    await t.sync();
    t.client.clearActions();
    // The informer has not delivered the created slice yet.
    await expect(t.sync()).rejects.toThrow('out of date');
    expect(t.client.actions()).toEqual([]);
    // Once it has, a sync finds nothing to do.
    for (const slice of (await t.client.endpointSlices('ns').list()).items)
      t.sliceCache.indexer.set(slice);
    await t.sync();
    expect(t.client.actions().filter((a) => a.verb !== 'list')).toEqual([]);
  });

  it("does not sync again for its own write coming back, but for anyone else's change", async () => {
    const t = setup([service().obj()], [pod(0).obj()]);
    await t.sync();
    const [written] = (await t.client.endpointSlices('ns').list()).items;
    if (!written) throw new Error('no slice written');
    t.controller.onSliceChange(written);
    expect(t.queued).toEqual([]);
    // Someone else's update raises the generation past the one written.
    const changed = {
      ...written,
      metadata: { ...written.metadata, generation: (written.metadata.generation ?? 0) + 1 },
    };
    t.controller.onSliceChange(changed);
    t.controller.onSliceDelete(written);
    expect(t.queued).toEqual(['ns/web', 'ns/web']);
  });

  it('keeps one empty placeholder slice for a service without endpoints', async () => {
    const t = setup([service().obj()], []);
    await t.sync();
    expect(t.client.actions().map((a) => [a.verb, (a.object as EndpointSlice).endpoints])).toEqual([
      ['create', []],
    ]);
  });

  it('deletes its slices when the service is gone, never slices it does not manage', async () => {
    const ours: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-abc',
        namespace: 'ns',
        labels: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
      },
      addressType: 'IPv4',
      endpoints: [],
    };
    const theirs: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-manual',
        namespace: 'ns',
        labels: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: 'someone' },
      },
      addressType: 'IPv4',
      endpoints: [],
    };
    const t = setup([], [], [ours, theirs]);
    await t.sync();
    expect(t.client.actions().map((a) => [a.verb, a.name])).toEqual([['delete', 'web-abc']]);
  });
});
