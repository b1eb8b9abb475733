// The kubelet: wires the node agent together. Pods bound to this node arrive through an informer
// scoped to `spec.nodeName`; the PLEG relists the runtime every second; both only say "this pod
// UID changed", and one worker per pod syncs it (plan → CRI → status). Beside them, the node's
// registration and status, its Lease, and the HTTP endpoint with /healthz and /metrics.
import { mkdir, readFile } from 'node:fs/promises';
import {
  errorMessage,
  isNotFound,
  realClock,
  until,
  type Clock,
  type Pod,
  type Taint,
} from '@skiff/api';
import { EventRecorder, SharedInformerFactory, type Client } from '@skiff/client';
import type { Cri } from './cri/index.js';
import { CRASH_LOOP_BACKOFF, KeyedBackoff, type BackoffOptions } from './kuberuntime/backoff.js';
import { parseResolvConf, type ResolvConf } from './kuberuntime/dns.js';
import type { EnvSources } from './kuberuntime/env.js';
import { servicesForPod } from './kuberuntime/service-env.js';
import { ImagePuller } from './kuberuntime/image-puller.js';
import type { PodEventSink } from './kuberuntime/pod-events.js';
import { KubeRuntimeManager, type NodeResources } from './kuberuntime/runtime-manager.js';
import { detectNodeIP } from './node/addresses.js';
import { NodeLeaseController } from './node/node-lease.js';
import { NodeStatusReporter } from './node/node-status-reporter.js';
import { nodeAllocatable } from './node/node-status.js';
import { GenericPleg } from './pleg/index.js';
import { isMirrorPod } from './config/static-pod-manifest.js';
import { PodWorkers } from './pod-workers/pod-workers.js';
import { ProberManager } from './prober/prober-manager.js';
import { newKubeletMetrics, type KubeletMetrics } from './server/metrics.js';
import { startKubeletServer, type KubeletServer } from './server/server.js';
import { StatusManager } from './status/status-manager.js';
import { VolumeManager } from './volumes/volume-manager.js';
import { PodSyncHandler } from './sync/pod-sync-handler.js';
import { StaticPodSource } from './config/static-pod-source.js';
import { MirrorClient } from './pod/mirror-client.js';
import { StaticPods } from './pod/static-pods.js';

export interface KubeletOptions {
  readonly client: Client;
  readonly cri: Cri;
  readonly clock?: Clock;
  /** The Node's name (`--hostname-override`, else the hostname). */
  readonly nodeName: string;
  readonly hostname: string;
  /** `--node-ip`; else the default route's address. */
  readonly nodeIP?: string;
  readonly nodeLabels?: Readonly<Record<string, string>>;
  readonly registerWithTaints?: readonly Taint[];
  /** `--root-dir`: the kubelet's state; its filesystem is the node's ephemeral storage. */
  readonly rootDir: string;
  /** Where container logs go (Kubernetes: /var/log/pods). */
  readonly podLogsDirectory?: string;
  readonly address?: string;
  /** `--port`; 0 picks a free one. */
  readonly port?: number;
  readonly maxPods?: number;
  readonly clusterDNS?: readonly string[];
  readonly clusterDomain?: string;
  /** `--resolv-conf`; '' for none. */
  readonly resolvConf?: string;
  readonly crashLoopBackoff?: BackoffOptions;
  /** PLEG relist period (1 s). */
  readonly relistPeriodMs?: number;
  /** Every pod is synced at least this often (Kubernetes' --sync-frequency, 1 min). */
  readonly syncFrequencyMs?: number;
  /** How often node status is computed and written when changed (10 s). */
  readonly nodeStatusUpdateFrequencyMs?: number;
  /** Node status is written at least this often even when unchanged (5 min). */
  readonly nodeStatusReportFrequencyMs?: number;
  /** The node Lease's duration (40 s); it is renewed every quarter of it, as Kubernetes does. */
  readonly nodeLeaseDurationSeconds?: number;
  /** `--pod-manifest-path`/staticPodPath: a directory of static pod manifests. */
  readonly staticPodPath?: string;
  /** How often the static pod path is read again (Kubernetes' fileCheckFrequency, 20 s). */
  readonly fileCheckFrequencyMs?: number;
  readonly log?: (message: string) => void;
}

const UID_INDEX = 'uid';

async function hostResolvConf(path: string): Promise<ResolvConf> {
  if (path === '') return { servers: [], searches: [], options: [] };
  return parseResolvConf(await readFile(path, 'utf8'));
}

export class Kubelet {
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];

  private constructor(
    readonly nodeName: string,
    readonly internalIP: string,
    readonly metrics: KubeletMetrics,
    private readonly server: KubeletServer,
    private readonly factories: readonly SharedInformerFactory[],
    private readonly workers: PodWorkers,
    private readonly statusManager: StatusManager,
    private readonly recorder: EventRecorder,
    private readonly prober: ProberManager,
    private readonly staticPods: StaticPods,
    private readonly log: (message: string) => void,
  ) {}

  /** The port /healthz and /metrics are served on. */
  get port(): number {
    return this.server.port;
  }

  static async start(options: KubeletOptions): Promise<Kubelet> {
    const clock = options.clock ?? realClock;
    const log = options.log ?? ((m: string) => process.stderr.write(`kubelet: ${m}\n`));
    const { client, cri, nodeName } = options;
    // Like the kubelet, make --root-dir if it is not there yet: node status reads its filesystem
    // (ephemeral-storage capacity), and volumes and termination messages live under it.
    await mkdir(options.rootDir, { recursive: true });
    const maxPods = options.maxPods ?? 110;
    const version = await cri.version();
    const internalIP = await detectNodeIP(options.nodeIP);
    const metrics = newKubeletMetrics();

    const factory = new SharedInformerFactory(client, {
      fieldSelector: `spec.nodeName=${nodeName}`,
      clock,
      log,
    });
    const pods = factory.core.v1.pods({
      indexers: { [UID_INDEX]: (pod) => (pod.metadata.uid ? [pod.metadata.uid] : []) },
    });
    // Syncs requested before the pod workers exist (they are made below) are dropped: nothing
    // runs before the caches are full, and then every pod is synced.
    let syncPod = (_uid: string): void => undefined;
    const staticPods = new StaticPods({
      source:
        options.staticPodPath === undefined || options.staticPodPath === ''
          ? undefined
          : new StaticPodSource({ path: options.staticPodPath, nodeName, clock, log }),
      mirrors: new MirrorClient({
        client,
        nodeName,
        nodeUid: () => reporter.current()?.metadata.uid,
      }),
      apiPod: (namespace, name) => pods.lister().get(namespace, name),
      update: (uid) => syncPod(uid),
      log,
    });
    // A static pod is run from its manifest; its mirror in the API never is.
    const podByUid = (uid: string): Readonly<Pod> | undefined => {
      const staticPod = staticPods.pod(uid);
      if (staticPod !== undefined) return staticPod;
      const pod = pods.indexer.byIndex(UID_INDEX, uid)[0];
      return pod === undefined || isMirrorPod(pod) ? undefined : pod;
    };

    // The PLEG is made further down; until then /healthz says it has not relisted.
    let lastRelist = (): number => 0;
    const server = await startKubeletServer({
      address: options.address ?? '0.0.0.0',
      port: options.port ?? 10250,
      registry: metrics.registry,
      clock,
      lastRelist: () => lastRelist(),
      pods: {
        list: () => pods.indexer.list(),
        get: (namespace, name) => pods.lister().get(namespace, name),
      },
      runtime: cri,
      streaming: cri,
      log,
    });
    const reporter = new NodeStatusReporter({
      client,
      runtime: cri,
      clock,
      identity: {
        name: nodeName,
        hostname: options.hostname,
        labels: options.nodeLabels ?? {},
        taints: options.registerWithTaints ?? [],
      },
      rootDir: options.rootDir,
      internalIP,
      kubeletPort: server.port,
      maxPods,
      ...(options.nodeStatusUpdateFrequencyMs !== undefined && {
        updateFrequencyMs: options.nodeStatusUpdateFrequencyMs,
      }),
      ...(options.nodeStatusReportFrequencyMs !== undefined && {
        reportFrequencyMs: options.nodeStatusReportFrequencyMs,
      }),
      log,
    });
    const recorder = new EventRecorder(client, {
      component: 'kubelet',
      host: nodeName,
      clock,
      log,
    });
    const events: PodEventSink = {
      event: (pod, type, reason, message) =>
        recorder.event({ apiVersion: 'v1', kind: 'Pod', ...pod }, type, reason, '%s', message),
    };
    // Services are cluster-wide objects the pod informer's node scope would hide: own factory.
    const clusterFactory = new SharedInformerFactory(client, { clock, log });
    const services = clusterFactory.core.v1.services().lister();
    const envSources: EnvSources = {
      configMap: (ns, name) => getOrUndefined(() => client.configMaps(ns).get(name)),
      secret: (ns, name) => getOrUndefined(() => client.secrets(ns).get(name)),
      services: (pod) =>
        Promise.resolve(
          servicesForPod(
            pod,
            services.namespace(pod.metadata.namespace ?? 'default').list(),
            services.get('default', 'kubernetes'),
          ),
        ),
    };
    const crashLoopBackoff = new KeyedBackoff(options.crashLoopBackoff ?? CRASH_LOOP_BACKOFF);
    const imageBackoff = new KeyedBackoff(CRASH_LOOP_BACKOFF);
    const nodeResources = (): NodeResources => {
      const machine = reporter.machineInfo();
      return {
        allocatable: machine ? nodeAllocatable(machine, maxPods) : {},
        memoryCapacityBytes: machine?.memoryBytes ?? 0,
        hostIPs: [internalIP],
      };
    };
    const manager = new KubeRuntimeManager({
      cri,
      clock,
      dns: {
        clusterDNS: options.clusterDNS ?? [],
        clusterDomain: options.clusterDomain ?? 'cluster.local',
        host: await hostResolvConf(options.resolvConf ?? '/etc/resolv.conf'),
      },
      podLogsDirectory: options.podLogsDirectory ?? '/var/log/pods',
      crashLoopBackoff,
      imagePuller: new ImagePuller({
        images: cri,
        backoff: imageBackoff,
        now: () => clock.now(),
        onPulling: (pod, container) =>
          events.event(pod, 'Normal', 'Pulling', `Pulling image "${container.image ?? ''}"`),
      }),
      envSources,
      node: nodeResources,
      events,
      volumes: new VolumeManager({ rootDir: options.rootDir, now: () => clock.now() }),
      log,
    });
    const statusManager = new StatusManager({
      client,
      clock,
      apiPod: podByUid,
      apiUid: (uid) => staticPods.statusUid(uid),
      log,
    });
    const prober = new ProberManager({
      clock,
      runtime: cri,
      onChange: (uid) => syncPod(uid),
      events,
      observe: (pod, container, type, outcome) =>
        metrics.probeTotal.inc({
          probe_type: type.charAt(0).toUpperCase() + type.slice(1),
          result: { success: 'successful', failure: 'failed', unknown: 'unknown' }[outcome.result],
          container,
          pod: pod.metadata.name ?? '',
          namespace: pod.metadata.namespace ?? '',
          pod_uid: pod.metadata.uid ?? '',
        }),
    });
    const handler = new PodSyncHandler({
      runtime: cri,
      manager,
      statusManager,
      clock,
      podByUid,
      runtimeName: () => version.runtime_name,
      hostIPs: () => [internalIP],
      backoffs: [crashLoopBackoff, imageBackoff],
      prober,
      onPodStarted: (_pod, seconds) => metrics.podStartDuration.observe(seconds),
      log,
    });
    const workers = new PodWorkers({
      clock,
      sync: async (uid) => {
        const outcome = await handler.sync(uid);
        await staticPods.afterSync(uid);
        return outcome;
      },
      log,
    });
    syncPod = (uid) => workers.update(uid);
    const pleg = new GenericPleg({
      runtime: cri,
      clock,
      ...(options.relistPeriodMs !== undefined && { relistPeriodMs: options.relistPeriodMs }),
      onEvents: (plegEvents) => {
        for (const uid of new Set(plegEvents.map((e) => e.id))) workers.update(uid);
      },
      observeRelist: (seconds) => metrics.plegRelistDuration.observe(seconds),
      observeRuntime: (sandboxes, containers) => {
        metrics.runningPods.set(sandboxes.filter((s) => s.state === 'SANDBOX_READY').length);
        metrics.runningContainers.reset();
        for (const c of containers) {
          const state = c.state.replace(/^CONTAINER_/, '').toLowerCase();
          metrics.runningContainers.inc({ container_state: state });
        }
      },
      log,
    });
    lastRelist = () => pleg.lastRelistTime();
    const kubelet = new Kubelet(
      nodeName,
      internalIP,
      metrics,
      server,
      [factory, clusterFactory],
      workers,
      statusManager,
      recorder,
      prober,
      staticPods,
      log,
    );
    const signal = kubelet.stop.signal;
    await reporter.register(signal);
    const lease = new NodeLeaseController({
      client,
      clock,
      nodeName,
      nodeUid: () => reporter.current()?.metadata.uid,
      ...(options.nodeLeaseDurationSeconds !== undefined && {
        leaseDurationSeconds: options.nodeLeaseDurationSeconds,
        renewIntervalMs: options.nodeLeaseDurationSeconds * 250,
      }),
      log,
    });
    const onPod = (pod: Readonly<Pod>, deleted: boolean): void => {
      if (!staticPods.onApiPod(pod, deleted)) workers.update(pod.metadata.uid ?? '');
    };
    pods.addEventHandler({
      onAdd: (pod) => onPod(pod, false),
      onUpdate: (_old, pod) => onPod(pod, false),
      onDelete: (pod) => onPod(pod, true),
    });
    // The manifests are read before the informers start, so no mirror looks like an orphan.
    await staticPods.reload();
    factory.start(signal);
    clusterFactory.start(signal);
    await factory.waitForCacheSync(signal);
    await clusterFactory.waitForCacheSync(signal);
    // Pods are synced only once the cache is full, so the runtime's pods that the API no
    // longer has are known to be orphans, not pods the informer has not delivered yet.
    const resyncAll = (): void => {
      const uids = new Set([
        ...pods.indexer.list().map((p) => p.metadata.uid ?? ''),
        ...pleg.knownPods(),
        ...staticPods.uids(),
      ]);
      for (const uid of uids) if (uid !== '') workers.update(uid);
    };
    kubelet.loops.push(
      lease.run(signal),
      reporter.run(signal),
      pleg.run(signal),
      until(resyncAll, options.syncFrequencyMs ?? 60_000, { clock, signal }),
      until(
        () =>
          staticPods.reload().catch((err: unknown) => {
            log(`reading static pods: ${errorMessage(err)}`);
          }),
        options.fileCheckFrequencyMs ?? 20_000,
        { clock, signal },
      ),
    );
    log(
      `node ${nodeName} registered (InternalIP ${internalIP}); runtime ${version.runtime_name} ${version.runtime_version}; serving on port ${server.port}`,
    );
    return kubelet;
  }

  /** Stops every loop, lets running syncs finish and writes pending statuses. */
  async shutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
    await this.prober.stop();
    await this.workers.stop();
    await this.staticPods.settled();
    await this.statusManager.flush().catch((err: unknown) => {
      this.log(`writing statuses at shutdown: ${errorMessage(err)}`);
    });
    await Promise.all(this.factories.map((f) => f.shutdown()));
    await this.recorder.shutdown();
    await this.server.close();
  }
}

async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
