// The components `skiff up` runs inside its own process, like k3s's server. Each still talks to
// the apiserver over HTTP through a client of its own, made from the kubeconfig `up` wrote —
// exactly what it would do as `skiff <component>` — so splitting them later changes nothing.
//
// Each component's package is imported when that component starts, not with this file: `up
// --split` runs none of them here, and a process holds the code it imports for good (most of an
// idle `up`'s memory is code). The runtime runs here too (./runtime-in-process.ts).
import { errorMessage } from '@skiff/api';
import type { Storage } from '@skiff/apiserver';
import type { Kubelet } from '@skiff/kubelet';
import type { StorageChoice } from '../commands/storage-flag.js';
import { never, type RunningComponent } from './component.js';
import { openComponentLog } from './component-log.js';
import { prepareNodeDirs, type NodeLayout } from './state-dir.js';

export interface InProcessApiServer extends RunningComponent {
  readonly url: string;
}

export async function startApiServerInProcess(options: {
  readonly storage: StorageChoice;
  readonly host: string;
  readonly port: number;
  readonly logFile: string;
}): Promise<InProcessApiServer> {
  const [{ createApiServer }, { openStorage }] = await Promise.all([
    import('@skiff/apiserver'),
    import('../commands/apiserver.js'),
  ]);
  const log = openComponentLog(options.logFile);
  let storage: Storage;
  try {
    storage = await openStorage(options.storage);
    // Opening may be lazy (etcd); one read proves the store answers before we go on.
    await storage.currentRevision();
  } catch (err) {
    await log.close();
    throw err;
  }
  const server = createApiServer({ storage, log: log.write, warn: log.write });
  try {
    await server.listen(options.port, options.host);
  } catch (err) {
    await storage.close();
    await log.close();
    throw err;
  }
  return {
    name: 'apiserver',
    logFile: log.file,
    url: server.url ?? `http://${options.host}:${options.port}`,
    failed: never(),
    stop: async () => {
      await server.close();
      await storage.close();
      await log.close();
    },
  };
}

/**
 * One `skiff up` per state dir is guaranteed by its lock, so there is never a second scheduler
 * or controller-manager to fence off: leader election would only make a resumed cluster wait
 * out the previous run's lease (15 s) before it schedules anything.
 */
export async function startSchedulerInProcess(
  kubeconfig: string,
  logFile: string,
): Promise<RunningComponent & { readonly url: string }> {
  const [{ clientFromKubeconfig }, { defaultSchedulerConfig, startSchedulerApp }] =
    await Promise.all([import('@skiff/client'), import('@skiff/scheduler')]);
  const log = openComponentLog(logFile);
  const client = await clientFromKubeconfig({ kubeconfig }, { qps: 50, burst: 100 });
  const base = defaultSchedulerConfig();
  const app = await startSchedulerApp({
    client,
    config: { ...base, leaderElection: { ...base.leaderElection, leaderElect: false } },
    port: 0,
    host: '127.0.0.1',
    log: log.write,
  });
  log.write(`serving ${app.url}/healthz, /readyz, /metrics`);
  return {
    name: 'scheduler',
    logFile: log.file,
    url: app.url,
    failed: app.done.then(
      () => never(),
      (err: unknown) => Promise.reject(new Error(`scheduler stopped: ${errorMessage(err)}`)),
    ),
    stop: async () => {
      await app.stop();
      client.close();
      await log.close();
    },
  };
}

export async function startControllerManagerInProcess(
  kubeconfig: string,
  logFile: string,
): Promise<RunningComponent> {
  const { defaultOptions, startControllerManager } = await import('@skiff/controller-manager');
  const log = openComponentLog(logFile);
  const stop = new AbortController();
  const run = await startControllerManager(
    { ...defaultOptions, kubeconfig, leaderElect: false, bindAddress: '127.0.0.1', port: 0 },
    stop.signal,
    { log: log.write },
  );
  log.write(`controllers ${run.started.join(', ')}`);
  if (run.notImplemented.length > 0) {
    log.write(`not written in skiff yet, skipped: ${run.notImplemented.join(', ')}`);
  }
  let stopping = false;
  return {
    name: 'controller-manager',
    logFile: log.file,
    failed: run.done.then(
      () => (stopping ? never() : Promise.reject(new Error('controller-manager stopped'))),
      (err: unknown) =>
        Promise.reject(new Error(`controller-manager stopped: ${errorMessage(err)}`)),
    ),
    stop: async () => {
      stopping = true;
      stop.abort();
      await run.done.catch((err: unknown) => log.write(`stopping: ${errorMessage(err)}`));
      await log.close();
    },
  };
}

/** The kubelet's --cluster-dns and --cluster-domain: what ClusterFirst pods' resolv.conf names. */
export interface KubeletDns {
  readonly clusterDNS: readonly string[];
  readonly clusterDomain: string;
}

export async function startKubeletInProcess(
  kubeconfig: string,
  node: NodeLayout,
  criEndpoint: string,
  dns: KubeletDns,
  logFile: string,
): Promise<RunningComponent> {
  const [{ clientFromKubeconfig }, { Kubelet, RemoteCri }] = await Promise.all([
    import('@skiff/client'),
    import('@skiff/kubelet'),
  ]);
  const log = openComponentLog(logFile);
  await prepareNodeDirs(node);
  const client = await clientFromKubeconfig({ kubeconfig }, { qps: 50, burst: 100 });
  const cri = new RemoteCri(criEndpoint);
  let kubelet: Kubelet;
  try {
    kubelet = await Kubelet.start({
      client,
      cri,
      nodeName: node.name,
      hostname: node.name,
      rootDir: node.kubeletRoot,
      podLogsDirectory: node.podLogs,
      // Port 0: several nodes on one machine each get their own; the Node reports the real one.
      address: '0.0.0.0',
      port: 0,
      clusterDNS: dns.clusterDNS,
      clusterDomain: dns.clusterDomain,
      log: log.write,
    });
  } catch (err) {
    cri.close();
    client.close();
    await log.close();
    throw err;
  }
  log.write(`node ${kubelet.nodeName} (${kubelet.internalIP}), /healthz on port ${kubelet.port}`);
  return {
    name: `kubelet ${node.name}`,
    logFile: log.file,
    failed: never(),
    stop: async () => {
      await kubelet.shutdown();
      cri.close();
      client.close();
      await log.close();
    },
  };
}
