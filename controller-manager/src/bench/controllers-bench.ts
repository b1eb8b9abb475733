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
//
// The controllers' client is unthrottled here (kube-controller-manager's --kube-api-qps 20 would
// make the rate limiter the whole story). Options: --pods N (1000)
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
import { BURST_REPLICAS } from '../replicaset/index.js';
import { slowStartBatch } from '../replicaset/slow-start.js';

const { values: flags } = parseArgs({ options: { pods: { type: 'string', default: '1000' } } });
const numPods = Number(flags.pods);
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

const fmtRate = (s: number): string =>
  `${numPods} raw pod creates in ${s.toFixed(2)} s (${(numPods / s).toFixed(0)} pods/s)`;

/** The number of pods in `namespace`, kept by a watch (relisted if the stream breaks). */
async function countPods(client: Client, namespace: string) {
  let names = new Set<string>();
  let stopped = false;
  let current: { stop(): void } | undefined;
  const follow = async (): Promise<void> => {
    while (!stopped) {
      const list = await client.pods(namespace).list();
      names = new Set(list.items.map((p) => p.metadata.name ?? ''));
      const watch = await client
        .pods(namespace)
        .watch({ resourceVersion: list.metadata?.resourceVersion });
      current = watch;
      try {
        for await (const event of watch) {
          if (event.type === 'ADDED') names.add(event.object.metadata.name ?? '');
          else if (event.type === 'DELETED') names.delete(event.object.metadata.name ?? '');
        }
      } catch (err) {
        log(`  (pod watch broke, relisting: ${errorMessage(err)})`);
      }
    }
  };
  const loop = follow();
  // Wait for the first list, so counting starts from what exists.
  while (current === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  return {
    count: () => names.size,
    stop: () => {
      stopped = true;
      current?.stop();
      return loop;
    },
  };
}

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
  const pods = await countPods(client, 'rs');
  const r0 = performance.now();
  await client.replicaSets('rs').patch('web', { spec: { replicas: numPods } }, { type: 'merge' });
  await until(`${numPods} pods`, () => Promise.resolve(pods.count() >= numPods));
  const rsSeconds = seconds(r0);
  log(
    `  replicaset 0 → ${numPods}: ${rsSeconds.toFixed(2)} s until ${numPods} pods exist (${(numPods / rsSeconds).toFixed(0)} pods/s)`,
  );
  const secondCeiling = await rawCreates(client, 'ceiling-2');
  log(`  ceiling (after): ${fmtRate(secondCeiling)}`);
  const ceiling = Math.min(firstCeiling, secondCeiling);
  log(`  ratio to the ceiling: ${(rsSeconds / ceiling).toFixed(2)}× (target ≤ 2×)`);
  await client.replicaSets('rs').patch('web', { spec: { replicas: 0 } }, { type: 'merge' });
  await until('the ReplicaSet scaled back to 0', () => Promise.resolve(pods.count() === 0));
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
} finally {
  stop.abort();
  client.close();
  await api.close();
  await store.dispose();
}
