// The endpoints part of `pnpm bench controllers`: how soon Endpoints and EndpointSlices follow a
// pod's readiness (the issue asks for within a second). A Service selects N pods; the benchmark
// flips one pod's Ready condition at a time, writing pod status as a kubelet would, and times
// from just before that write until a watch shows the pod on the right side of the Endpoints
// (addresses / notReadyAddresses) and with the right `ready` in its EndpointSlice.
//
// The ceiling, in the same run: a relay in the benchmark that lists and watches the pods and, on
// each change, writes one Endpoints object like the controller's (same addresses, node names and
// pod references) — one watch hop and one write, no cache, queue or controller — timed the same
// way. The controllers run with kube-controller-
// manager's default client limits (--kube-api-qps 20, --kube-api-burst 30).
import { errorMessage, type EndpointSlice, type Endpoints, type Pod } from '@skiff/api';
import { makePod, makeService } from '@skiff/api/testing';
import { createClient, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { startControllerManager } from '../app/controller-manager.js';
import { defaultOptions } from '../app/options.js';
import { podReference } from '../endpointutil/service-pods.js';
import { WatchedObjects } from './watched-objects.js';

const namespace = 'endpoints';
const service = 'web';
const relay = 'relay';

export interface EndpointsLatency {
  /** Milliseconds from a readiness write until the Endpoints showed it, one per flip. */
  readonly endpoints: number[];
  /** The same until the pod's EndpointSlice endpoint showed it. */
  readonly slices: number[];
  /** The same for the relay's Endpoints object (the ceiling). */
  readonly ceiling: number[];
}

const podIP = (i: number): string => `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`;

/** Writes a pod's status as its kubelet would: running, its IP, Ready or not. */
function writeReadiness(client: Client, i: number, ready: boolean): Promise<Pod> {
  const ip = podIP(i);
  return client.pods(namespace).patch(
    `web-${i}`,
    {
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    },
    { type: 'merge', subresource: 'status' },
  );
}

const isReady = (pod: Readonly<Pod>): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Whether `ip` is listed as ready (or not ready) in an Endpoints object. */
function endpointsShow(ep: Readonly<Endpoints> | undefined, ip: string, ready: boolean): boolean {
  return (ep?.subsets ?? []).some((subset) =>
    (ready ? subset.addresses : subset.notReadyAddresses)?.some((a) => a.ip === ip),
  );
}

function slicesShow(slices: Iterable<Readonly<EndpointSlice>>, ip: string, ready: boolean) {
  for (const slice of slices) {
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== service) continue;
    const endpoint = slice.endpoints.find((e) => e.addresses.includes(ip));
    if (endpoint) return (endpoint.conditions?.ready ?? false) === ready;
  }
  return false;
}

async function createPods(client: Client, count: number): Promise<void> {
  const batch = 50;
  for (let first = 0; first < count; first += batch) {
    const indexes = Array.from({ length: Math.min(batch, count - first) }, (_, k) => first + k);
    await Promise.all(
      indexes.map(async (i) => {
        await client.pods(namespace).create(
          makePod()
            .name(`web-${i}`)
            .namespace(namespace)
            .labels({ app: 'web' })
            .node('node-a')
            .container('app', { ports: [{ name: 'http', containerPort: 8080 }] })
            .obj(),
        );
        await writeReadiness(client, i, true);
      }),
    );
  }
}

/**
 * Flips `flips` pods (spread over the N) not ready and back, one write at a time, and times each
 * until every `shows` check passes; answers the milliseconds per check.
 */
async function timeFlips(
  client: Client,
  numPods: number,
  flips: number,
  shows: readonly ((ip: string, ready: boolean) => Promise<number>)[],
): Promise<number[][]> {
  const times: number[][] = shows.map(() => []);
  for (let f = 0; f < flips; f++) {
    const i = Math.floor((f * numPods) / flips);
    for (const ready of [false, true]) {
      const t0 = performance.now();
      const seen = Promise.all(shows.map((show) => show(podIP(i), ready)));
      await writeReadiness(client, i, ready);
      (await seen).forEach((at, k) => times[k]?.push(at - t0));
    }
  }
  return times;
}

/** The ceiling's relay: each pod change rewrites one Endpoints object of all the pods. */
async function startRelay(client: Client): Promise<{ stop(): Promise<void> }> {
  const endpoints = client.endpoints(namespace);
  const list = await client.pods(namespace).list();
  const pods = new Map(list.items.map((p) => [p.metadata.name ?? '', p]));
  const write = async (): Promise<void> => {
    const all = [...pods.values()];
    // The addresses the Endpoints controller writes: IP, node and a reference to the pod.
    const address = (p: Readonly<Pod>) => ({
      ip: p.status?.podIP ?? '',
      nodeName: p.spec.nodeName ?? '',
      targetRef: podReference(p),
    });
    await endpoints.update({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: relay, namespace },
      subsets: [
        {
          addresses: all.filter(isReady).map(address),
          notReadyAddresses: all.filter((p) => !isReady(p)).map(address),
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    });
  };
  await write();
  const watch = await client
    .pods(namespace)
    .watch({ resourceVersion: list.metadata?.resourceVersion });
  const loop = (async () => {
    for await (const event of watch) {
      if (event.type !== 'MODIFIED') continue;
      pods.set(event.object.metadata.name ?? '', event.object);
      await write();
    }
  })();
  return {
    stop: async () => {
      watch.stop();
      await loop;
    },
  };
}

export async function measureEndpointsLatency(
  client: Client,
  url: string,
  numPods: number,
  flips: number,
  log: (line: string) => void,
): Promise<EndpointsLatency> {
  await client
    .namespaces()
    .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await client
    .services(namespace)
    .create(
      makeService()
        .name(service)
        .namespace(namespace)
        .selector({ app: 'web' })
        .port(80, { name: 'http', targetPort: 'http' })
        .obj(),
    );
  await createPods(client, numPods);
  const endpoints = await WatchedObjects.start(client.endpoints(namespace));
  const slices = await WatchedObjects.start(client.endpointSlices(namespace));

  const stop = new AbortController();
  const controllerClient = createClient({
    server: url,
    qps: defaultOptions.kubeApiQps,
    burst: defaultOptions.kubeApiBurst,
  });
  const run = await startControllerManager(
    {
      ...defaultOptions,
      controllers: ['endpoint', 'endpointslice'],
      leaderElect: false,
      port: 0,
      bindAddress: '127.0.0.1',
    },
    stop.signal,
    { client: controllerClient, registry: new Registry(), log: () => undefined },
  );
  run.done.catch((err: unknown) => log(`  controller-manager stopped: ${errorMessage(err)}`));
  try {
    const lastIP = podIP(numPods - 1);
    await endpoints.until((all) => endpointsShow(all.get(service), lastIP, true));
    await slices.until((all) => slicesShow(all.values(), lastIP, true));
    const [viaEndpoints = [], viaSlices = []] = await timeFlips(client, numPods, flips, [
      (ip, ready) => endpoints.until((all) => endpointsShow(all.get(service), ip, ready)),
      (ip, ready) => slices.until((all) => slicesShow(all.values(), ip, ready)),
    ]);
    stop.abort();
    await run.done.catch(() => undefined);

    const relaying = await startRelay(client);
    const [ceiling = []] = await timeFlips(client, numPods, flips, [
      (ip, ready) => endpoints.until((all) => endpointsShow(all.get(relay), ip, ready)),
    ]);
    await relaying.stop();
    return { endpoints: viaEndpoints, slices: viaSlices, ceiling };
  } finally {
    stop.abort();
    controllerClient.close();
    await endpoints.stop();
    await slices.stop();
  }
}
