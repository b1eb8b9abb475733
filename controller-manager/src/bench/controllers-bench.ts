// `pnpm bench controllers`: the ReplicaSet and Deployment controllers against a real apiserver
// (embedded store, in this process) with no kubelets, in one run:
//
//   ceiling     raw pod creates through the same apiserver and an equally unthrottled client, in
//               the ReplicaSet controller's own pattern (slow-start batches 1, 2, 4, … of at most
//               500 per sync): what creating the pods alone costs; run before and after the
//               controller's turn, the faster of the two counts
//   replicaset  a ReplicaSet scaled 0 → N: seconds from the scale until N pods exist, and the
//               ratio to the ceiling
//   deployment  a Deployment of N pods (25%/25%) rolled from template A to B, a fake kubelet
//               marking every new pod Ready: seconds from the template change until
//               updatedReplicas = availableReplicas = N
//   endpoints   a Service of N pods whose readiness is flipped one pod at a time: milliseconds
//               until Endpoints and EndpointSlices show it, against a relay's (./endpoints-latency.ts)
//
// For the ReplicaSet and the Deployment the controllers' client is unthrottled (kube-controller-
// manager's --kube-api-qps 20 would make the rate limiter the whole story); the endpoints
// controllers keep its defaults. Options: --pods N (1000), --flips F (20 pods flipped off and on)
import { parseArgs } from 'node:util';
import { errorMessage, type Deployment } from '@skiff/api';
import { makeDeployment, makePod, makeReplicaSet } from '@skiff/api/testing';
import { createApiServer } from '@skiff/apiserver';
import { openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { defaultOptions } from '../app/options.js';
import { startControllerManager } from '../app/controller-manager.js';
import { startFakeKubelet } from '../deployment/testing/fake-kubelet.js';
import { measureEndpointsLatency } from './endpoints-latency.js';
import { WatchedObjects } from './watched-objects.js';
import { BURST_REPLICAS } from '../replicaset/index.js';
import { slowStartBatch } from '../replicaset/slow-start.js';

const { values: flags } = parseArgs({
  options: {
    pods: { type: 'string', default: '1000' },
    flips: { type: 'string', default: '20' },
  },
});
const numPods = Number(flags.pods);
const numFlips = Number(flags.flips);
const log = (line: string): void => console.log(line);
const seconds = (since: number): number => (performance.now() - since) / 1000;

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Seconds for `numPods` raw creates in the ReplicaSet controller's slow-start batches. */
async function rawCreates(client: Client, namespace: string): Promise<number> {
  // Like the pods the ReplicaSet controller stamps out: a generated name, labels, one container.
  const { spec } = makePod().obj();
  const c0 = performance.now();
  for (let left = numPods; left > 0; left -= BURST_REPLICAS) {
    const { error } = await slowStartBatch(Math.min(left, BURST_REPLICAS), 1, async () => {
      await client.pods(namespace).create({
        metadata: { generateName: 'c-', namespace, labels: { app: 'ceiling' } },
        spec,
      });
    });
    if (error !== undefined) throw new Error(`ceiling create failed: ${errorMessage(error)}`);
  }
  return seconds(c0);
}

/** The q-quantile (nearest rank) of some durations. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

const fmtRate = (s: number): string =>
  `${numPods} raw pod creates in ${s.toFixed(2)} s (${(numPods / s).toFixed(0)} pods/s)`;

const store = await openTempEmbeddedStore({
  prefix: 'skiff-controllers-bench-',
  warn: () => undefined,
});
const api = createApiServer({ storage: store.storage, log: () => undefined });
await api.listen(0);
const url = api.url ?? '';
const client: Client = createClient({ server: url, qps: Infinity });
const stop = new AbortController();
try {
  log(
    `controllers benchmark: ${numPods} pods, no kubelets, skiff apiserver (embedded store) at ${url}`,
  );
  for (const name of ['ceiling-1', 'ceiling-2', 'rs', 'deploy']) {
    await client.namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  // Ceiling: the controller's create pattern without the controller, run before and after the
  // controller's turn (the machine is shared: the faster run is the ceiling).
  const firstCeiling = await rawCreates(client, 'ceiling-1');
  log(`  ceiling (before): ${fmtRate(firstCeiling)}, slow-start batches of ≤${BURST_REPLICAS}`);

  const controllerClient = createClient({ server: url, qps: Infinity });
  const run = await startControllerManager(
    {
      ...defaultOptions,
      controllers: ['replicaset', 'deployment'],
      leaderElect: false,
      port: 0,
      bindAddress: '127.0.0.1',
    },
    stop.signal,
    { client: controllerClient, registry: new Registry(), log: () => undefined },
  );
  run.done.catch((err: unknown) => log(`  controller-manager stopped: ${String(err)}`));

  // ReplicaSet 0 → N.
  await client
    .replicaSets('rs')
    .create(makeReplicaSet().name('web').namespace('rs').replicas(0).obj());
  // Pods are counted off a watch: polling lists of 1,000 pods would load the apiserver measured.
  const pods = await WatchedObjects.start(client.pods('rs'), log);
  const r0 = performance.now();
  await client.replicaSets('rs').patch('web', { spec: { replicas: numPods } }, { type: 'merge' });
  await pods.until((all) => all.size >= numPods);
  const rsSeconds = seconds(r0);
  log(
    `  replicaset 0 → ${numPods}: ${rsSeconds.toFixed(2)} s until ${numPods} pods exist (${(numPods / rsSeconds).toFixed(0)} pods/s)`,
  );
  const secondCeiling = await rawCreates(client, 'ceiling-2');
  log(`  ceiling (after): ${fmtRate(secondCeiling)}`);
  const ceiling = Math.min(firstCeiling, secondCeiling);
  log(`  ratio to the ceiling: ${(rsSeconds / ceiling).toFixed(2)}× (target ≤ 2×)`);
  await client.replicaSets('rs').patch('web', { spec: { replicas: 0 } }, { type: 'merge' });
  await pods.until((all) => all.size === 0);
  await pods.stop();

  // Deployment A → B with a fake kubelet.
  const kubelet = await startFakeKubelet(client, 'deploy', {
    onError: (m) => log(`  kubelet: ${m}`),
  });
  const deployment = (image: string) =>
    makeDeployment()
      .name('web')
      .namespace('deploy')
      .replicas(numPods)
      .template(makePod().container('web', { image }).template({ app: 'web' }))
      .obj();
  const complete = (d: Readonly<Deployment>, image: string) =>
    d.spec.template.spec?.containers[0]?.image === image &&
    (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    d.status?.updatedReplicas === numPods &&
    d.status.replicas === numPods &&
    d.status.availableReplicas === numPods;
  const d0 = performance.now();
  await client.deployments('deploy').create(deployment('nginx:1'));
  await until('the first rollout', async () =>
    complete(await client.deployments('deploy').get('web'), 'nginx:1'),
  );
  log(`  deployment created with ${numPods} pods: available in ${seconds(d0).toFixed(2)} s`);
  const u0 = performance.now();
  await client
    .deployments('deploy')
    .patch(
      'web',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } },
      { type: 'strategic' },
    );
  await until('the rollout', async () =>
    complete(await client.deployments('deploy').get('web'), 'nginx:2'),
  );
  log(
    `  deployment rollout A → B of ${numPods} pods (maxSurge 25%, maxUnavailable 25%): ${seconds(u0).toFixed(2)} s until updated = available = ${numPods}`,
  );
  await kubelet.stop();
  stop.abort();
  await run.done.catch(() => undefined);
  controllerClient.close();

  // Endpoints and EndpointSlices following readiness, against a relay as the ceiling.
  const latency = await measureEndpointsLatency(client, url, numPods, numFlips, log);
  const figures = (ms: number[]) =>
    `median ${quantile(ms, 0.5).toFixed(0)} ms, p90 ${quantile(ms, 0.9).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms`;
  const ratio = (ms: number[]) =>
    `${(quantile(ms, 0.5) / quantile(latency.ceiling, 0.5)).toFixed(2)}× the ceiling's median`;
  const withinASecond = (ms: number[]) => `${ms.filter((t) => t <= 1000).length}/${ms.length}`;
  log(
    `  endpoints: a Service of ${numPods} pods, readiness flipped ${latency.endpoints.length} times (one pod, one write at a time):`,
  );
  log(`    ceiling (relay: watch pods, write one Endpoints): ${figures(latency.ceiling)}`);
  log(
    `    Endpoints:      ${figures(latency.endpoints)}; ${ratio(latency.endpoints)}; ${withinASecond(latency.endpoints)} within 1 s`,
  );
  log(
    `    EndpointSlices: ${figures(latency.slices)}; ${ratio(latency.slices)}; ${withinASecond(latency.slices)} within 1 s`,
  );
} finally {
  stop.abort();
  client.close();
  await api.close();
  await store.dispose();
}
