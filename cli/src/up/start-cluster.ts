// The order `skiff up` starts a cluster in, each step shown with what it waits for:
// apiserver (ready) → the kube-dns Service (its ClusterIP is the kubelets' --cluster-dns) → per
// node: demo images, runtime (answers CRI) → kubelets (--cluster-dns) → every node Ready →
// scheduler, controller-manager → cluster DNS on the node's address, published as kube-dns's
// endpoint → the Service proxy (first rules synced). The runtimes need nothing from the
// apiserver, so each node's demo images and runtime start at once, beside it, and their steps
// show what is left to wait for. A node turns Ready with no help from the scheduler or the
// controllers, and in one process every component shares one thread: starting them after the
// nodes are Ready keeps their start-up (code to load, informers to fill) off the path to Ready;
// nothing can be scheduled before a node is Ready anyway. Whatever started is returned (or, on a
// failure, stopped); stopping goes the other way.
import { describeStorage } from '../commands/storage-flag.js';
import {
  kubeletChildArgs,
  startApiServerChild,
  startComponentChild,
  startControlPlaneChild,
  startRuntimeChild,
  startSchedulerChild,
} from './children.js';
import { startRuntimeInProcess } from './runtime-in-process.js';
import type { RunningComponent } from './component.js';
import { ensureDemoImages } from './demo-images.js';
import {
  startApiServerInProcess,
  startControllerManagerInProcess,
  startKubeletInProcess,
  startSchedulerInProcess,
} from './in-process.js';
import {
  CLUSTER_DOMAIN,
  clusterDnsIP,
  ensureKubeDnsService,
  dnsListenAddress,
  publishKubeDnsEndpoint,
} from './kube-dns.js';
import { writeKubeconfig } from './kubeconfig-file.js';
import { planNodes } from './node-plan.js';
import { KUBE_DNS } from '@skiff/dns/kube-dns';
import type { Progress } from './progress.js';
import { prepareNodeDirs } from './state-dir.js';
import type { UpOptions } from './up-options.js';
import { clientFromKubeconfig, type Client } from '@skiff/client';
import { startClusterDns, startServiceProxy } from './service-network.js';
import { waitForNodesReady } from './wait-for-nodes.js';

export interface StartedCluster {
  readonly url: string;
  readonly nodes: readonly string[];
  /** In start order. */
  readonly components: readonly RunningComponent[];
  /** ms from `skiff up` to every node Ready. */
  readonly readyAfterMs: number;
  /** kube-dns's ClusterIP, when cluster DNS and the proxy run (they need root). */
  readonly clusterDNS?: string;
}

/** Stops components last-started first, reporting (not throwing) each failure. */
export async function stopAll(
  components: readonly RunningComponent[],
  report: (line: string) => void,
): Promise<boolean> {
  let ok = true;
  for (const component of [...components].reverse()) {
    try {
      await component.stop();
    } catch (err) {
      ok = false;
      report(`stopping ${component.name}: ${String(err)}`);
    }
  }
  return ok;
}

/** The URL clients use: a wildcard bind is reached through loopback. */
function clientUrl(host: string, port: number): string {
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
}

export async function startCluster(
  options: UpOptions,
  progress: Progress,
  signal: AbortSignal,
): Promise<StartedCluster> {
  const { layout } = options;
  const started: RunningComponent[] = [];
  const kubeconfig = layout.kubeconfig;
  const nodes = planNodes({
    layout,
    hostname: options.hostname,
    count: options.nodes,
    bridge: options.bridge,
    podCidr: options.podCidr,
  });
  const mode = options.split ? 'its own process' : 'this process';
  const aborted = (): boolean => signal.aborted;
  const startedAt = Date.now();
  let client: Client | undefined;
  const runtimes = (options.criEndpoint === undefined ? nodes : []).map((node) => ({
    node,
    starting: startNodeRuntime(node),
  }));
  // Each is awaited in its step below, or by settleRuntimes when `up` ends before that step.
  for (const r of runtimes) r.starting.catch(() => undefined);
  try {
    const url = clientUrl(options.host, options.port);
    await writeKubeconfig(kubeconfig, url);
    const apiserver = await progress.step(
      `apiserver on ${options.host}:${options.port} in ${mode}, store ${describeStorage(options.storage)}`,
      'the store to open and the API to serve',
      () => {
        const common = { host: options.host, port: options.port, logFile: layout.log('apiserver') };
        return options.split
          ? startApiServerChild({ ...common, storage: describeStorage(options.storage) })
          : startApiServerInProcess({ ...common, storage: options.storage });
      },
    );
    started.push(apiserver);
    client = await clientFromKubeconfig({ kubeconfig });
    const api = client;
    const dnsIP = await progress.step(
      `Service ${KUBE_DNS.namespace}/${KUBE_DNS.name}`,
      "its ClusterIP, the kubelets' --cluster-dns",
      () => ensureKubeDnsService(api, clusterDnsIP()),
    );
    const kubeletDns = { clusterDNS: [dnsIP], clusterDomain: CLUSTER_DOMAIN };
    for (const { node, starting } of runtimes) {
      if (aborted()) return await partial(url);
      started.push(
        await progress.step(
          `skiff runtime for node ${node.layout.name} in ${mode} (bridge ${node.bridge}, pods ${node.podCidr}), started with the apiserver`,
          `its demo images (skiff.local/busybox:latest and the pause image, built from the host busybox), then its CRI socket ${node.layout.runtimeSocket} to answer`,
          () => starting,
        ),
      );
    }
    for (const node of nodes) {
      if (aborted()) return await partial(url);
      const endpoint = options.criEndpoint ?? `unix://${node.layout.runtimeSocket}`;
      const logFile = layout.log(`kubelet-${node.layout.name}`);
      started.push(
        await progress.step(
          `kubelet for node ${node.layout.name} in ${mode}`,
          `the runtime at ${endpoint}`,
          async () => {
            if (!options.split)
              return startKubeletInProcess(kubeconfig, node.layout, endpoint, kubeletDns, logFile);
            await prepareNodeDirs(node.layout);
            return startComponentChild(
              `kubelet ${node.layout.name}`,
              kubeletChildArgs(kubeconfig, node.layout, endpoint, kubeletDns),
              logFile,
            );
          },
        ),
      );
    }
    const names = nodes.map((n) => n.layout.name);
    await progress.step(
      `node${names.length > 1 ? 's' : ''} ${names.join(', ')}`,
      'Ready (registered, runtime and network ready, lease held)',
      () =>
        Promise.race([
          waitForNodesReady(
            api,
            names,
            AbortSignal.any([signal, AbortSignal.timeout(180_000)]),
            startedAt,
          ),
          // A component that dies meanwhile explains the wait better than a timeout would.
          ...started.map((c) => c.failed),
        ]),
    );
    const readyAfterMs = progress.elapsedMs();
    if (aborted()) return await partial(url);
    const scheduler = await progress.step(`scheduler in ${mode}`, 'its informers to start', () =>
      options.split
        ? startSchedulerChild(kubeconfig, layout.log('scheduler'))
        : startSchedulerInProcess(kubeconfig, layout.log('scheduler')),
    );
    started.push(scheduler);
    // Where `skiff explain pod NAME` finds the scheduler's decisions, with no flag.
    await writeKubeconfig(kubeconfig, url, { scheduler: scheduler.url });
    started.push(
      await progress.step(`controller-manager in ${mode}`, 'its controllers to start', () =>
        options.split
          ? Promise.resolve(
              startControlPlaneChild(
                'controller-manager',
                kubeconfig,
                layout.log('controller-manager'),
              ),
            )
          : startControllerManagerInProcess(kubeconfig, layout.log('controller-manager')),
      ),
    );
    const first = names[0];
    if (aborted() || first === undefined) return await partial(url);
    if (process.getuid?.() !== 0) {
      progress.line(
        '• Service proxy and cluster DNS — skipped: the packet filter and port 53 need root',
      );
      return { url, nodes: names, components: started, readyAfterMs };
    }
    await startServiceNetwork(api, first, dnsIP);
    return { url, nodes: names, components: started, readyAfterMs, clusterDNS: dnsIP };
  } catch (err) {
    await settleRuntimes();
    await stopAll(started, (line) => progress.line(line));
    throw err;
  } finally {
    client?.close();
  }

  async function startServiceNetwork(api: Client, nodeName: string, dnsIP: string): Promise<void> {
    const address = await dnsListenAddress(
      api,
      nodeName,
      options.criEndpoint === undefined ? nodes[0]?.podCidr : undefined,
    );
    started.push(
      await progress.step(
        `cluster DNS on ${address}:53 in ${mode}`,
        `${options.split ? 'its process' : 'its Service and EndpointSlice caches'}, then kube-dns (${dnsIP}) to send there`,
        async () => {
          const dns = await startClusterDns({
            kubeconfig,
            split: options.split,
            logFile: layout.log('dns'),
            address,
          });
          try {
            await publishKubeDnsEndpoint(api, { nodeName, address });
          } catch (err) {
            await dns.stop();
            throw err;
          }
          return dns;
        },
      ),
    );
    if (aborted()) return;
    const proxy = await progress.step(
      `Service proxy for node ${nodeName} in ${mode}`,
      // A child says when its rules are synced in its own log; in this process the step waits.
      options.split
        ? 'its process (it logs its first sync)'
        : 'its caches and the first full sync of the rules',
      () =>
        startServiceProxy({
          kubeconfig,
          split: options.split,
          logFile: layout.log('proxy'),
          nodeName,
        }),
    );
    started.push(proxy.component);
    progress.line(`    proxy mode ${proxy.mode}; ClusterIPs and NodePorts answer from this host`);
  }

  async function startNodeRuntime(node: (typeof nodes)[number]): Promise<RunningComponent> {
    await ensureDemoImages(node.layout.runtimeRoot);
    const runtime = {
      node: node.layout,
      bridge: node.bridge,
      podCidr: node.podCidr,
      logFile: layout.log(`runtime-${node.layout.name}`),
    };
    return options.split ? startRuntimeChild(runtime) : startRuntimeInProcess(runtime);
  }

  /**
   * Runtimes that started but whose step never came: into `started`, so they are stopped. One
   * that failed meanwhile has written why to its log; `up` reports the failure that ended it.
   */
  async function settleRuntimes(): Promise<void> {
    for (const { starting } of runtimes) {
      const runtime = await starting.catch(() => undefined);
      if (runtime !== undefined && !started.includes(runtime)) started.push(runtime);
    }
  }

  async function partial(url: string): Promise<StartedCluster> {
    await settleRuntimes();
    return { url, nodes: [], components: started, readyAfterMs: progress.elapsedMs() };
  }
}
