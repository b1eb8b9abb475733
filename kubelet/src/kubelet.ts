// The kubelet: wires the node agent together. Pods bound to this node arrive through an informer
// scoped to `spec.nodeName`; the PLEG relists the runtime every second; both only say "this pod
// UID changed", and one worker per pod syncs it (plan → CRI → status). Beside them, the node's
// registration and status, its Lease, and the HTTP endpoint with /healthz and /metrics.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import {
  errorMessage,
  isNotFound,
  realClock,
  until,
  type Clock,
  type Pod,
  type Taint,
} from '@skiff/api';
import { createClient, EventRecorder, SharedInformerFactory, type Client } from '@skiff/client';
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
import { GenericPleg, PodCache } from './pleg/index.js';
import { isMirrorPod } from './config/static-pod-manifest.js';
import { PodWorkers } from './pod-workers/pod-workers.js';
import { ProberManager } from './prober/prober-manager.js';
import { newKubeletMetrics, type KubeletMetrics } from './server/metrics.js';
import { startKubeletServer, type KubeletServer } from './server/server.js';
import { startHealthzServer, type HealthzServer } from './server/healthz.js';
import { StatusManager } from './status/status-manager.js';
import { VolumeManager } from './volumes/volume-manager.js';
import { PodSyncHandler } from './sync/pod-sync-handler.js';
import { StaticPodSource } from './config/static-pod-source.js';
import { MirrorClient } from './pod/mirror-client.js';
import { StaticPods } from './pod/static-pods.js';
import { getPodStatus } from './container/index.js';
import { podRefOfPod } from './kuberuntime/sandbox-config.js';
import { admitUnderPressure } from './eviction/admit.js';
import { EvictionManager } from './eviction/eviction-manager.js';
import { signalToNodeReclaimFuncs } from './eviction/node-reclaim.js';
import { observationsFrom, readFs, readNodeReadings } from './eviction/node-stats.js';
import { withDiskUsage } from './eviction/pod-disk-usage.js';
import { podUsageByUid } from './eviction/pod-usage.js';
import { DEFAULT_EVICTION_HARD, parseThresholds, type Threshold } from './eviction/thresholds.js';
import { ContainerGC, type ContainerGCPolicy } from './container/container-gc.js';
import {
  DEFAULT_IMAGE_GC_POLICY,
  ImageGCManager,
  type ImageGCPolicy,
} from './images/image-gc-manager.js';
import { podLogDirectory } from './kuberuntime/sandbox-config.js';

export interface KubeletOptions {
  /**
   * The apiserver's client; none is standalone mode (the kubelet without --kubeconfig): only the
   * static pods of staticPodPath run, no Node is registered, no status, mirror or Event is
   * written.
   */
  readonly client?: Client;
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
  /** healthzPort: a listener answering only /healthz (0 picks a free one); none if undefined. */
  readonly healthzPort?: number;
  /** healthzBindAddress (127.0.0.1). */
  readonly healthzBindAddress?: string;
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
  /**
   * A PEM file with a runtime's streaming certificate to trust besides Node's CA bundle (skiff's
   * own: `skiff runtime --streaming-tls` writes its self-signed one to
   * `<root>/streaming/self-signed.crt`). Stream URLs over https are always verified.
   */
  readonly runtimeStreamingCAFile?: string;
  /** How often the static pod path is read again (Kubernetes' fileCheckFrequency, 20 s). */
  readonly fileCheckFrequencyMs?: number;
  /** Eviction thresholds (evictionHard/evictionSoft); default: the Linux evictionHard defaults. */
  readonly evictionThresholds?: readonly Threshold[];
  /** evictionPressureTransitionPeriod (5 min). */
  readonly evictionPressureTransitionPeriodMs?: number;
  /** evictionMaxPodGracePeriod (0: a soft eviction gives the pod its own grace period). */
  readonly evictionMaxPodGracePeriodSeconds?: number;
  /** How often the eviction manager looks at the node (10 s). */
  readonly evictionMonitoringIntervalMs?: number;
  /** imageGCHighThresholdPercent/imageGCLowThresholdPercent/imageMinimumGCAge (85, 80, 2 min). */
  readonly imageGCPolicy?: Partial<ImageGCPolicy>;
  /** The dead containers kept (1 per pod and container, no node limit, no minimum age). */
  readonly containerGCPolicy?: ContainerGCPolicy;
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
  private connected: Promise<boolean> = Promise.resolve(false);

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
    private readonly healthz: HealthzServer | undefined,
    private readonly log: (message: string) => void,
  ) {}

  /** The port /healthz and /metrics are served on. */
  get port(): number {
    return this.server.port;
  }

  /** Resolves true once the Node is registered and the pod caches are full; false if stopped. */
  get apiConnected(): Promise<boolean> {
    return this.connected;
  }

  /** The port of the healthz-only listener, if one was asked for. */
  get healthzPort(): number | undefined {
    return this.healthz?.port;
  }

  /**
   * Starts the kubelet and resolves once it has registered its Node and knows the API's pods.
   * Static pods start running before that (see launch).
   */
  static async start(options: KubeletOptions): Promise<Kubelet> {
    const kubelet = await Kubelet.launch(options);
    if (!(await kubelet.apiConnected)) {
      await kubelet.shutdown();
      throw new Error('kubelet stopped before it reached the apiserver');
    }
    return kubelet;
  }

  /**
   * Starts the kubelet and resolves at once: static pods run while the apiserver is still being
   * reached (in the background, retried until it answers; see `apiConnected`).
   */
  static async launch(options: KubeletOptions): Promise<Kubelet> {
    const clock = options.clock ?? realClock;
    const log = options.log ?? ((m: string) => process.stderr.write(`kubelet: ${m}\n`));
    const { cri, nodeName } = options;
    // Standalone mode reaches for no API: informers never start, nothing registers, and events
    // are only logged. The parts are still built with a client — one aimed at no server (port 0
    // refuses at once), so a stray call fails loudly instead of reaching some apiserver.
    const standalone = options.client === undefined;
    const client = options.client ?? createClient({ server: 'http://127.0.0.1:0' });
    // Like the kubelet, make --root-dir if it is not there yet: node status reads its filesystem
    // (ephemeral-storage capacity), and volumes and termination messages live under it.
    await mkdir(options.rootDir, { recursive: true });
    const maxPods = options.maxPods ?? 110;
    const podLogsDirectory = options.podLogsDirectory ?? '/var/log/pods';
    const version = await cri.version();
    const internalIP = await detectNodeIP(options.nodeIP);
    const metrics = newKubeletMetrics();
    const evictionThresholds =
      options.evictionThresholds ?? parseThresholds({ hard: DEFAULT_EVICTION_HARD });

    const factory = new SharedInformerFactory(client, {
      fieldSelector: `spec.nodeName=${nodeName}`,
      clock,
      log,
    });
    const pods = factory.core.v1.pods({
      indexers: { [UID_INDEX]: (pod) => (pod.metadata.uid ? [pod.metadata.uid] : []) },
    });
    // Syncs requested before the pod workers exist (they are made below) are dropped. Until the
    // API's pods are all known (the informer synced), only static pods are synced: any other
    // runtime pod could be one the informer has not delivered yet, not an orphan to remove.
    let apiReady = false;
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
      ...(options.runtimeStreamingCAFile !== undefined && {
        runtimeStreamingCA: await readFile(options.runtimeStreamingCAFile, 'utf8'),
      }),
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
      pressure: () => evictionManager.conditions(),
      evictionThresholds,
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
    const recordEvent = (
      object: Parameters<EventRecorder['event']>[0],
      type: 'Normal' | 'Warning',
      reason: string,
      message: string,
    ): void => {
      if (standalone)
        log(`event ${type} ${reason} ${object.kind} ${object.metadata?.name ?? ''}: ${message}`);
      else recorder.event(object, type, reason, '%s', message);
    };
    const events: PodEventSink = {
      event: (pod, type, reason, message) =>
        recordEvent({ apiVersion: 'v1', kind: 'Pod', ...pod }, type, reason, message),
    };
    // Services are cluster-wide objects the pod informer's node scope would hide: own factory.
    const clusterFactory = new SharedInformerFactory(client, { clock, log });
    const services = clusterFactory.core.v1.services().lister();
    const envSources: EnvSources = {
      configMap: (ns, name) =>
        standalone
          ? noApiserver(`configmap ${ns}/${name}`)
          : getOrUndefined(() => client.configMaps(ns).get(name)),
      secret: (ns, name) =>
        standalone
          ? noApiserver(`secret ${ns}/${name}`)
          : getOrUndefined(() => client.secrets(ns).get(name)),
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
        allocatable: machine ? nodeAllocatable(machine, maxPods, evictionThresholds) : {},
        memoryCapacityBytes: machine?.memoryBytes ?? 0,
        hostIPs: [internalIP],
      };
    };
    const volumes = new VolumeManager({ rootDir: options.rootDir, now: () => clock.now() });
    const manager = new KubeRuntimeManager({
      cri,
      clock,
      dns: {
        clusterDNS: options.clusterDNS ?? [],
        clusterDomain: options.clusterDomain ?? 'cluster.local',
        host: await hostResolvConf(options.resolvConf ?? '/etc/resolv.conf'),
      },
      podLogsDirectory,
      crashLoopBackoff,
      imagePuller: new ImagePuller({
        images: cri,
        backoff: imageBackoff,
        now: () => clock.now(),
        onPulling: (pod, container) =>
          events.event(pod, 'Normal', 'Pulling', `Pulling image "${container.image ?? ''}"`),
        getSecret: (namespace, name) => envSources.secret(namespace, name),
        onPullSecretsMissing: (pod, names) =>
          events.event(
            pod,
            'Warning',
            'FailedToRetrieveImagePullSecret',
            `Unable to retrieve some image pull secrets (${names.join(', ')}); attempting to pull the image may not succeed.`,
          ),
        log,
      }),
      envSources,
      node: nodeResources,
      events,
      volumes,
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
      hostIPs: () => [internalIP],
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
    // What the runtime has of each pod, as the PLEG and the pod workers last saw it.
    const podCache = new PodCache();
    const handler = new PodSyncHandler({
      runtime: cri,
      manager,
      statusManager,
      cache: podCache,
      clock,
      podByUid,
      runtimeName: () => version.runtime_name,
      hostIPs: () => [internalIP],
      backoffs: [crashLoopBackoff, imageBackoff],
      prober,
      onPodStarted: (_pod, seconds) => metrics.podStartDuration.observe(seconds),
      tearDownVolumes: (uid) => volumes.tearDown(uid),
      admit: (pod) => admitUnderPressure(pod, evictionManager.conditions()),
      onRejected: (pod, rejection) =>
        recordEvent(
          { apiVersion: 'v1', kind: 'Pod', ...pod },
          'Warning',
          rejection.reason,
          rejection.message,
        ),
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
    syncPod = (uid) => {
      // Standalone, the static pods are all there is: any other pod (a static pod whose file
      // changed or went, say) is one to stop and remove.
      if (apiReady || standalone || staticPods.isStatic(uid)) workers.update(uid);
    };
    const pleg = new GenericPleg({
      runtime: cri,
      clock,
      cache: podCache,
      ...(options.relistPeriodMs !== undefined && { relistPeriodMs: options.relistPeriodMs }),
      onEvents: (plegEvents) => {
        for (const uid of new Set(plegEvents.map((e) => e.id))) syncPod(uid);
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
    const healthz =
      options.healthzPort === undefined
        ? undefined
        : await startHealthzServer({
            address: options.healthzBindAddress ?? '127.0.0.1',
            port: options.healthzPort,
            clock,
            lastRelist: () => pleg.lastRelistTime(),
          });
    // Pods that may still run here: the API's (not mirrors) and the static ones, not finished.
    const activePods = (): Readonly<Pod>[] =>
      [...pods.indexer.list().filter((p) => !isMirrorPod(p)), ...staticPods.list()].filter(
        (p) =>
          p.status?.phase !== 'Succeeded' &&
          p.status?.phase !== 'Failed' &&
          !handler.isEvicted(p.metadata.uid ?? ''),
      );
    // The image filesystem's mountpoint, asked once: ImageFsInfo also measures the runtime's
    // usage (a walk of its image store), and only the mountpoint is needed to statfs it.
    let imageFsMount: string | undefined;
    const imageFsMountpoint = async (): Promise<string | undefined> =>
      (imageFsMount ??= (await cri.imageFsInfo())[0]?.fs_id?.mountpoint);
    const nodeEvent = (reason: string, message: string): void =>
      recordEvent(
        { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } },
        'Warning',
        reason,
        message,
      );
    const imageFsPath = async (): Promise<string> =>
      (await imageFsMountpoint().catch(() => undefined)) || options.rootDir;
    const imageGC = new ImageGCManager({
      clock,
      runtime: {
        listImages: () => cri.listImages(),
        removeImage: (image) => cri.removeImage(image),
        listContainers: () => cri.listContainers(),
      },
      imageFsUsage: async () => readFs(await imageFsPath()),
      policy: { ...DEFAULT_IMAGE_GC_POLICY, ...options.imageGCPolicy },
      nodeEvent,
      log,
    });
    const containerGC = new ContainerGC({
      clock,
      runtime: {
        listContainers: () => cri.listContainers(),
        listPodSandbox: () => cri.listPodSandbox(),
        containerLogPath: async (id) => (await cri.containerStatus(id)).log_path,
        stopContainer: (id, timeout) => cri.stopContainer(id, timeout),
        removeContainer: (id) => cri.removeContainer(id),
        stopPodSandbox: (id) => cri.stopPodSandbox(id),
        removePodSandbox: (id) => cri.removePodSandbox(id),
      },
      ...(options.containerGCPolicy !== undefined && { policy: options.containerGCPolicy }),
      podGone: (uid) => podByUid(uid) === undefined,
      // Standalone, the static pods (read before any loop starts) are every source there is.
      allSourcesReady: () => apiReady || standalone,
      podLogsDirectory,
      nodeEvent,
      log,
    });
    // Whether the images sit on a filesystem of their own (changes what disk pressure reclaims
    // and how pods rank for it); learnt with each observation.
    let dedicatedImageFs = false;
    const reclaimFuncs = () =>
      signalToNodeReclaimFuncs(
        {
          deleteAllUnusedContainers: () => containerGC.deleteAllUnusedContainers(),
          deleteUnusedImages: () => imageGC.deleteUnusedImages(),
        },
        dedicatedImageFs,
      );
    const evictionManager = new EvictionManager({
      clock,
      thresholds: evictionThresholds,
      ...(options.evictionPressureTransitionPeriodMs !== undefined && {
        pressureTransitionPeriodMs: options.evictionPressureTransitionPeriodMs,
      }),
      ...(options.evictionMaxPodGracePeriodSeconds !== undefined && {
        maxPodGracePeriodSeconds: options.evictionMaxPodGracePeriodSeconds,
      }),
      ...(options.evictionMonitoringIntervalMs !== undefined && {
        monitoringIntervalMs: options.evictionMonitoringIntervalMs,
      }),
      observe: async () => {
        const readings = await readNodeReadings({
          rootDir: options.rootDir,
          imageFsMountpoint,
          log,
        });
        const imageFs = await imageFsPath();
        dedicatedImageFs = (await stat(imageFs)).dev !== (await stat(options.rootDir)).dev;
        return observationsFrom(readings);
      },
      podUsage: async (signal) => {
        const usage = podUsageByUid(await cri.listContainerStats());
        if (!signal.startsWith('nodefs.') && !signal.startsWith('imagefs.')) return usage;
        // Disk pressure: each pod's logs and local volumes count too (measured only now).
        const paths = {
          volumeDir: (uid: string, volume: Parameters<VolumeManager['volumeDir']>[1]) =>
            volumes.volumeDir(uid, volume),
          podLogDir: (pod: Readonly<Pod>) => podLogDirectory(pod, podLogsDirectory),
        };
        for (const pod of activePods()) {
          const uid = pod.metadata.uid ?? '';
          usage.set(uid, await withDiskUsage(pod, usage.get(uid), paths));
        }
        return usage;
      },
      nodeReclaimFuncs: (signal) => reclaimFuncs()[signal] ?? [],
      dedicatedImageFs: () => dedicatedImageFs,
      activePods,
      evict: (pod, eviction) => {
        recordEvent(
          { apiVersion: 'v1', kind: 'Pod', ...pod },
          'Warning',
          'Evicted',
          eviction.message,
        );
        handler.evict(pod.metadata.uid ?? '', eviction);
        metrics.evictions.inc({ eviction_signal: eviction.signal });
        workers.update(pod.metadata.uid ?? '');
        return Promise.resolve();
      },
      // Cleaned up (podResourcesAreReclaimed): no container runs and its volumes are gone —
      // a tmpfs emptyDir holds its memory until it is unmounted.
      podCleanedUp: async (pod) => {
        const runtime = await getPodStatus(cri, podRefOfPod(pod));
        if (runtime.containers.some((c) => c.state === 'running')) return false;
        return !existsSync(volumes.podDir(pod.metadata.uid ?? ''));
      },
      nodeEvent,
      onConditionsChanged: () => reporter.updateSoon(),
      log,
    });
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
      healthz,
      log,
    );
    const signal = kubelet.stop.signal;
    const onPod = (pod: Readonly<Pod>, deleted: boolean): void => {
      if (!staticPods.onApiPod(pod, deleted)) syncPod(pod.metadata.uid ?? '');
    };
    pods.addEventHandler({
      onAdd: (pod) => onPod(pod, false),
      onUpdate: (_old, pod) => onPod(pod, false),
      onDelete: (pod) => onPod(pod, true),
    });
    const resyncAll = (): void => {
      const uids = new Set([
        ...pods.indexer.list().map((p) => p.metadata.uid ?? ''),
        ...pleg.knownPods(),
        ...staticPods.uids(),
      ]);
      for (const uid of uids) if (uid !== '') syncPod(uid);
    };
    // Static pods run at once, with or without an apiserver — how a control plane boots: the
    // kubelet runs the apiserver's own manifest before there is an apiserver to talk to.
    await staticPods.reload();
    resyncAll();
    kubelet.loops.push(
      pleg.run(signal),
      evictionManager.run(signal),
      imageGC.run(signal),
      containerGC.run(signal),
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

    // Then the apiserver, in the background: register the Node (retrying until it answers),
    // keep its Lease and status, and fill the pod caches. Once they are full every pod is
    // synced, and static pods get their mirrors (which need the registered Node as owner).
    const connect = async (): Promise<boolean> => {
      if ((await reporter.register(signal)) === undefined) return false;
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
      kubelet.loops.push(lease.run(signal), reporter.run(signal));
      factory.start(signal);
      clusterFactory.start(signal);
      await factory.waitForCacheSync(signal);
      await clusterFactory.waitForCacheSync(signal);
      if (signal.aborted) return false;
      apiReady = true;
      resyncAll();
      log(`node ${nodeName} registered (InternalIP ${internalIP})`);
      return true;
    };
    // Standalone: there is no apiserver to reach, ever.
    kubelet.connected = standalone
      ? Promise.resolve(false)
      : connect().catch((err: unknown) => {
          log(`reaching the apiserver: ${errorMessage(err)}`);
          return false;
        });
    kubelet.loops.push(kubelet.connected.then(() => undefined));
    log(
      `node ${nodeName}${standalone ? ' (standalone: no apiserver)' : ''}: runtime ${version.runtime_name} ${version.runtime_version}; serving on port ${server.port}; ${staticPods.uids().length} static pod(s)`,
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
    await this.healthz?.close();
  }
}

/** What a standalone kubelet answers when a pod needs an API object. */
function noApiserver(what: string): Promise<never> {
  return Promise.reject(new Error(`cannot read ${what}: standalone kubelet, no apiserver`));
}

async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
