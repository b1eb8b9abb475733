// Endpoints and EndpointSlices against a real apiserver follow pod readiness as a kubelet would
// write it: not ready → notReadyAddresses / ready=false, ready → addresses / ready=true,
// terminating → dropped from Endpoints / terminating=true in slices.
import { type Client } from '@skiff/client';
import { isNotFound, type EndpointSlice, type Endpoints, type Pod } from '@skiff/api';
import { makePod, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';
import {
  CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from './endpoint-slice-controller.js';

const ns = 'default';

async function createPod(client: Client, i: number): Promise<Pod> {
  const pod = makePod()
    .name(`web-${i}`)
    .namespace(ns)
    .labels({ app: 'web' })
    .node('node-a')
    .container('app', { ports: [{ name: 'http', containerPort: 8080 }] })
    .obj();
  const created = await client.pods(ns).create(pod);
  await setStatus(client, created, false, `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`);
  return created;
}

async function setStatus(
  client: Client,
  pod: Readonly<Pod>,
  ready: boolean,
  ip?: string,
): Promise<void> {
  const podIP = ip ?? pod.status?.podIP;
  await client.pods(ns).patch(
    pod.metadata.name ?? '',
    {
      status: {
        phase: 'Running',
        ...(podIP && { podIP, podIPs: [{ ip: podIP }] }),
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    },
    { type: 'merge', subresource: 'status' },
  );
}

const slicesOf = async (client: Client): Promise<EndpointSlice[]> =>
  (await client.endpointSlices(ns).list({ labelSelector: { [SERVICE_NAME_LABEL]: 'web' } })).items;

const readyIPs = (ep: Endpoints | undefined) =>
  (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
const notReadyIPs = (ep: Endpoints | undefined) =>
  (ep?.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));
const sliceEndpoints = (slices: EndpointSlice[]) => slices.flatMap((s) => s.endpoints);

async function getEndpoints(client: Client): Promise<Endpoints | undefined> {
  try {
    return await client.endpoints(ns).get('web');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// A real apiserver and controller-manager: each wait is for a real condition (`eventually`, up
// to 60 s); the test gets the time a loaded 2-core machine needs.
describe('Endpoints and EndpointSlices on a real apiserver', { timeout: 120_000 }, () => {
  it('follow readiness and termination of the selected pods', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['endpoint', 'endpointslice'] });
    const service = await api.client
      .services(ns)
      .create(
        makeService()
          .name('web')
          .namespace(ns)
          .selector({ app: 'web' })
          .port(80, { name: 'http', targetPort: 'http' })
          .obj(),
      );
    const pods = [await createPod(api.client, 0), await createPod(api.client, 1)];

    const first = await eventually(
      () => getEndpoints(api.client),
      (ep) => notReadyIPs(ep).length === 2,
      'two not-ready addresses',
    );
    expect(readyIPs(first)).toEqual([]);
    expect(first?.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const slices = await eventually(
      () => slicesOf(api.client),
      (s) => sliceEndpoints(s).length === 2,
      'a slice with two endpoints',
    );
    expect(slices).toHaveLength(1);
    const [slice] = slices;
    expect(slice?.metadata.labels).toMatchObject({
      [SERVICE_NAME_LABEL]: 'web',
      [MANAGED_BY_LABEL]: CONTROLLER_NAME,
    });
    expect(slice?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: service.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(sliceEndpoints(slices).map((e) => e.conditions?.ready)).toEqual([false, false]);

    const [a, b] = pods;
    if (!a || !b) throw new Error('two pods expected');
    await setStatus(api.client, a, true);
    await eventually(
      () => getEndpoints(api.client),
      (ep) => readyIPs(ep).length === 1 && notReadyIPs(ep).length === 1,
      'one ready address',
    );
    await eventually(
      () => slicesOf(api.client),
      (s) => sliceEndpoints(s).filter((e) => e.conditions?.ready).length === 1,
      'one ready endpoint',
    );

    // Bound to a node, the pod terminates gracefully: it stays, with a deletionTimestamp.
    await setStatus(api.client, b, true);
    await api.client.pods(ns).delete(b.metadata.name ?? '');
    const bIP = (await api.client.pods(ns).get(b.metadata.name ?? '')).status?.podIP;
    await eventually(
      () => getEndpoints(api.client),
      (ep) =>
        readyIPs(ep).length === 1 &&
        notReadyIPs(ep).length === 0 &&
        !readyIPs(ep).includes(bIP ?? ''),
      'the terminating pod dropped',
    );
    const terminating = await eventually(
      () => slicesOf(api.client),
      (s) => sliceEndpoints(s).some((e) => e.conditions?.terminating),
      'a terminating endpoint',
    );
    expect(sliceEndpoints(terminating).find((e) => e.conditions?.terminating)).toMatchObject({
      addresses: [bIP],
      conditions: { ready: false, serving: true, terminating: true },
    });

    await api.client.services(ns).delete('web');
    await eventually(
      () => getEndpoints(api.client),
      (ep) => ep === undefined,
      'the Endpoints gone',
    );
    await eventually(
      () => slicesOf(api.client),
      (s) => s.length === 0,
      'the slices gone',
    );
  });

  it('keeps slices at 100 endpoints at most', async () => {
    const api = await startApiServer();
    await startControllerManagerFor(api, { controllers: ['endpointslice'] });
    await api.client
      .services(ns)
      .create(
        makeService()
          .name('web')
          .namespace(ns)
          .selector({ app: 'web' })
          .port(80, { targetPort: 8080 })
          .obj(),
      );
    for (let i = 0; i < 150; i++) await createPod(api.client, i);
    const slices = await eventually(
      () => slicesOf(api.client),
      (s) => sliceEndpoints(s).length === 150,
      '150 endpoints',
    );
    expect(slices.map((s) => s.endpoints.length).sort((x, y) => x - y)).toEqual([50, 100]);
    const ips = sliceEndpoints(slices).map((e) => e.addresses[0]);
    expect(new Set(ips).size).toBe(150);
  });
});
