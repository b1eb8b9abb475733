// Carries out a pod's plan over CRI (Kubernetes' kubeGenericRuntimeManager.SyncPod): kill what
// must go, create the sandbox, then start the next init container or the containers — each one
// pulled, configured and started on its own, so one container's bad image or missing ConfigMap
// is that container's waiting reason and not the pod's failure. Also the two ends of a pod's
// life: killPod (stop everything with a grace period) and removePod (delete it from the runtime).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type Clock, type Container, type Pod, type ResourceList } from '@skiff/api';
import type { Mount, PodSandboxConfig } from '@skiff/proto';
import { latestContainer, type RuntimePodStatus } from '../container/index.js';
import type { Cri } from '../cri/index.js';
import { podQOSClass } from '../qos/index.js';
import type { WaitingReason } from '../status/container-statuses.js';
import type { KeyedBackoff } from './backoff.js';
import { computePodActions, type PodActions } from './compute-pod-actions.js';
import { generateContainerConfig } from './container-config.js';
import type { ClusterDns } from './dns.js';
import { ContainerConfigError, makeEnvironmentVariables, type EnvSources } from './env.js';
import { ImagePullError, type ImagePuller } from './image-puller.js';
import { runLifecycleHandler } from './lifecycle.js';
import { containerMounts } from '../volumes/container-mounts.js';
import { VolumeError } from '../volumes/payload.js';
import type { VolumeManager } from '../volumes/volume-manager.js';
import { noPodEvents, type PodEventSink } from './pod-events.js';
import { generatePodSandboxConfig, podLogDirectory, podRefOfPod } from './sandbox-config.js';

/** What the node offers, for env defaults and OOM scores. */
export interface NodeResources {
  readonly allocatable: Readonly<ResourceList>;
  readonly memoryCapacityBytes: number;
  readonly hostIPs: readonly string[];
}

export interface RuntimeManagerOptions {
  readonly cri: Cri;
  readonly clock: Clock;
  readonly dns: ClusterDns;
  readonly podLogsDirectory: string;
  readonly crashLoopBackoff: KeyedBackoff;
  readonly imagePuller: ImagePuller;
  readonly envSources: EnvSources;
  readonly node: () => NodeResources;
  readonly events?: PodEventSink;
  readonly volumes: VolumeManager;
  readonly log?: (message: string) => void;
}

export interface SyncResult {
  /** Why containers (by name) are not running, for their waiting state. */
  readonly reasons: ReadonlyMap<string, WaitingReason>;
  /** Sync again after this long (a back-off ends); undefined when nothing waits. */
  readonly requeueAfterMs: number | undefined;
  /** The plan that was carried out (for logs and tests). */
  readonly actions: PodActions;
  /** The sandbox and containers this sync made (the pod now has these beside what it had). */
  readonly created: { readonly sandboxes: string[]; readonly containers: string[] };
}

/** How long a postStart hook may take (upstream sets none; a hung hook must not hold the pod). */
export const POST_START_TIMEOUT_SECONDS = 120;

/** A pod whose volumes could not be set up is tried again after this long. */
export const VOLUME_RETRY_MS = 2000;

/** StopContainer never gets less than this, as upstream's minimum grace period. */
export const MINIMUM_STOP_GRACE_SECONDS = 2;

/** Kubernetes' default when a pod names none. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

export function backoffKey(pod: Readonly<Pod>, containerName: string): string {
  return `${pod.metadata.uid ?? ''}/${containerName}`;
}

export class KubeRuntimeManager {
  private readonly events: PodEventSink;

  constructor(private readonly options: RuntimeManagerOptions) {
    this.events = options.events ?? noPodEvents;
  }

  async syncPod(
    pod: Readonly<Pod>,
    runtime: RuntimePodStatus,
    probeFailure?: (containerId: string) => 'liveness' | 'startup' | undefined,
  ): Promise<SyncResult> {
    const { clock, crashLoopBackoff } = this.options;
    const now = clock.now();
    const actions = computePodActions({
      pod,
      status: runtime,
      backoffRemaining: (name, finishedAt) =>
        crashLoopBackoff.remaining(backoffKey(pod, name), finishedAt, now),
      now,
      ...(probeFailure !== undefined && { probeFailure }),
    });
    const reasons = new Map<string, WaitingReason>();
    const created = { sandboxes: [] as string[], containers: [] as string[] };
    const grace = this.grace(pod);

    if (actions.killPod) await this.killPod(pod, runtime, grace);
    await Promise.all(
      actions.containersToKill.map(async (c) => {
        this.events.event(pod, 'Normal', 'Killing', c.message);
        await this.stopContainer(pod, c.id, c.name, runtime, grace);
      }),
    );

    const starts =
      actions.initContainerToStart !== undefined || actions.containersToStart.length > 0;
    let volumes: Map<string, string>;
    try {
      // Every sync, not only the first: a changed ConfigMap or Secret reaches running containers.
      volumes = await this.options.volumes.setUp(pod, {
        pod,
        sources: this.options.envSources,
        podIPs: runtime.sandboxes[0]?.ips ?? [],
        hostIPs: this.options.node().hostIPs,
        nodeAllocatable: this.options.node().allocatable,
      });
    } catch (err) {
      if (!(err instanceof VolumeError)) throw err;
      this.events.event(pod, 'Warning', 'FailedMount', err.message);
      // Running containers keep running; nothing new starts until the volumes are there.
      return {
        reasons,
        requeueAfterMs: starts ? VOLUME_RETRY_MS : undefined,
        actions,
        created,
      };
    }

    let sandboxId = actions.sandboxId;
    let podIPs: readonly string[];
    if (actions.createSandbox) {
      await mkdir(podLogDirectory(pod, this.options.podLogsDirectory), { recursive: true });
      try {
        sandboxId = await this.options.cri.runPodSandbox(this.sandboxConfig(pod, actions.attempt));
        created.sandboxes.push(sandboxId);
      } catch (err) {
        this.events.event(
          pod,
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: ${errorMessage(err)}`,
        );
        throw err;
      }
      // Only a new sandbox is asked for its IPs: an existing one's are in the pod's status.
      const sandbox = await this.options.cri.podSandboxStatus(sandboxId);
      podIPs = sandbox.network?.ip
        ? [sandbox.network.ip, ...sandbox.network.additional_ips.map((i) => i.ip)]
        : [];
    } else if (sandboxId === '' || !starts) {
      return { reasons, requeueAfterMs: this.backOff(pod, actions, reasons), actions, created };
    } else {
      podIPs = runtime.sandboxes.find((s) => s.id === sandboxId)?.ips ?? [];
    }
    // The attempt the plan gave: a new sandbox's, or the existing sandbox's own.
    const sandboxConfig = this.sandboxConfig(pod, actions.attempt);

    const start = (container: Readonly<Container>): Promise<void> =>
      this.startContainer(
        pod,
        container,
        runtime,
        sandboxId,
        sandboxConfig,
        podIPs,
        volumes,
        reasons,
        created.containers,
      );
    const init = pod.spec.initContainers?.find((c) => c.name === actions.initContainerToStart);
    if (init) await start(init);
    // Restarting sidecars are init containers; their names are unique across both lists.
    const toStart = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].filter((c) =>
      actions.containersToStart.includes(c.name),
    );
    await Promise.all(toStart.map(start));
    return { reasons, requeueAfterMs: this.backOff(pod, actions, reasons), actions, created };
  }

  /**
   * The waiting reasons of containers in CrashLoopBackOff (with their BackOff events), and when
   * to sync again: when a back-off ends, or soon after another container's trouble.
   */
  private backOff(
    pod: Readonly<Pod>,
    actions: PodActions,
    reasons: Map<string, WaitingReason>,
  ): number | undefined {
    const { crashLoopBackoff } = this.options;
    let requeueAfterMs: number | undefined;
    for (const { name, remainingMs } of actions.backOff) {
      const delaySeconds = Math.round(crashLoopBackoff.delay(backoffKey(pod, name)) / 1000);
      const ref = podRefOfPod(pod);
      const message = `back-off ${delaySeconds}s restarting failed container=${name} pod=${ref.name}_${ref.namespace}(${ref.uid})`;
      reasons.set(name, { reason: 'CrashLoopBackOff', message });
      this.events.event(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${name} in pod ${ref.name}_${ref.namespace}(${ref.uid})`,
      );
      requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, remainingMs);
    }
    for (const reason of reasons.values()) {
      if (reason.reason === 'ImagePullBackOff' || reason.reason === 'ErrImagePull') {
        // Look again when the pull back-off may have ended.
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, 1000);
      } else if (reason.reason !== 'CrashLoopBackOff') {
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, 10_000);
      }
    }
    return requeueAfterMs;
  }

  private sandboxConfig(pod: Readonly<Pod>, attempt: number): PodSandboxConfig {
    return generatePodSandboxConfig(pod, attempt, {
      dns: this.options.dns,
      podLogsDirectory: this.options.podLogsDirectory,
    });
  }

  /** Pull, configure, create and start one container; a failure becomes its waiting reason. */
  private async startContainer(
    pod: Readonly<Pod>,
    container: Readonly<Container>,
    runtime: RuntimePodStatus,
    sandboxId: string,
    sandboxConfig: PodSandboxConfig,
    podIPs: readonly string[],
    volumes: ReadonlyMap<string, string>,
    reasons: Map<string, WaitingReason>,
    created: string[],
  ): Promise<void> {
    const { cri, clock, crashLoopBackoff, imagePuller, node } = this.options;
    const fail = (reason: string, message: string): void => {
      reasons.set(container.name, { reason, message });
      this.events.event(pod, 'Warning', 'Failed', `Error: ${reason}`);
    };
    let image;
    try {
      const pullStarted = clock.now();
      image = await imagePuller.ensureImageExists(pod, container);
      this.events.event(
        pod,
        'Normal',
        'Pulled',
        image.pulled
          ? `Successfully pulled image "${container.image ?? ''}" in ${((clock.now() - pullStarted) / 1000).toFixed(3)}s`
          : `Container image "${container.image ?? ''}" already present on machine`,
      );
    } catch (err) {
      if (!(err instanceof ImagePullError)) throw err;
      if (err.reason === 'ImagePullBackOff') {
        this.events.event(pod, 'Normal', 'BackOff', err.message);
      } else {
        this.events.event(pod, 'Warning', 'Failed', err.event);
      }
      fail(err.reason, err.message);
      return;
    }
    const latest = latestContainer(runtime, container.name);
    const restartCount = latest === undefined ? 0 : latest.restartCount + 1;
    const resources = node();
    let containerId: string;
    try {
      const env = await makeEnvironmentVariables(container, {
        pod,
        podIPs,
        hostIPs: resources.hostIPs,
        nodeAllocatable: resources.allocatable,
        sources: this.options.envSources,
      });
      const config = generateContainerConfig({
        pod,
        container,
        restartCount,
        imageRef: image.ref,
        imageUid: image.uid,
        env,
        qos: podQOSClass(pod),
        nodeMemoryCapacityBytes: resources.memoryCapacityBytes,
        mounts: [
          ...(await this.subPathsCreated(container, containerMounts(container, volumes))),
          ...(await this.terminationMessageMount(pod, container)),
        ],
      });
      containerId = await cri.createContainer(sandboxId, config, sandboxConfig);
      created.push(containerId);
    } catch (err) {
      if (err instanceof ContainerConfigError) fail('CreateContainerConfigError', err.message);
      else fail('CreateContainerError', errorMessage(err));
      return;
    }
    this.events.event(pod, 'Normal', 'Created', `Created container ${container.name}`);
    // Every restart counts towards CrashLoopBackOff (after an exit or a failed liveness probe),
    // whether or not this start works.
    if (latest !== undefined) crashLoopBackoff.next(backoffKey(pod, container.name), clock.now());
    try {
      await cri.startContainer(containerId);
    } catch (err) {
      fail('RunContainerError', errorMessage(err));
      return;
    }
    this.events.event(pod, 'Normal', 'Started', `Started container ${container.name}`);
    const postStart = container.lifecycle?.postStart;
    if (postStart === undefined) return;
    const target = { container, containerId, podIP: podIPs[0] ?? '' };
    const failed = await runLifecycleHandler(
      postStart,
      target,
      POST_START_TIMEOUT_SECONDS,
      cri,
      clock,
    );
    if (failed === undefined) return;
    // Upstream kills a container whose postStart hook failed; the restart policy decides the rest.
    const message = `PostStartHook failed: ${failed}`;
    this.events.event(pod, 'Warning', 'FailedPostStartHook', message);
    this.events.event(pod, 'Normal', 'Killing', `FailedPostStartHook`);
    reasons.set(container.name, { reason: 'PostStartHookError', message });
    await cri.stopContainer(containerId, this.grace(pod));
  }

  private grace(pod: Readonly<Pod>): number {
    return pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }

  /**
   * Stops one running container: its preStop hook first (within the grace period), then
   * StopContainer with what is left of the grace period (at least 2 s, as upstream).
   */
  private async stopContainer(
    pod: Readonly<Pod> | undefined,
    id: string,
    name: string,
    runtime: RuntimePodStatus,
    gracePeriodSeconds: number,
  ): Promise<void> {
    const { cri, clock } = this.options;
    const spec = pod?.spec.containers.find((c) => c.name === name);
    const preStop = spec?.lifecycle?.preStop;
    let remaining = gracePeriodSeconds;
    if (
      pod &&
      spec &&
      preStop &&
      runtime.containers.find((c) => c.id === id)?.state === 'running'
    ) {
      const started = clock.now();
      const sandbox = runtime.sandboxes[0];
      const target = { container: spec, containerId: id, podIP: sandbox?.ips[0] ?? '' };
      const failed = await runLifecycleHandler(preStop, target, gracePeriodSeconds, cri, clock);
      if (failed !== undefined) {
        this.events.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${failed}`);
      }
      remaining -= Math.floor((clock.now() - started) / 1000);
    }
    await cri.stopContainer(id, Math.max(remaining, MINIMUM_STOP_GRACE_SECONDS));
  }

  /**
   * Stops every running container (with the grace period), then every ready sandbox. Says
   * whether there was anything to stop (if not, the runtime was left as it was).
   */
  async killPod(
    pod: Readonly<Pod> | undefined,
    runtime: RuntimePodStatus,
    gracePeriodSeconds: number,
  ): Promise<boolean> {
    const { cri } = this.options;
    const containers = runtime.containers.filter(
      (c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown',
    );
    const sandboxes = runtime.sandboxes.filter((s) => s.state === 'ready');
    await Promise.all(
      containers.map(async (c) => {
        if (pod && c.state === 'running') {
          this.events.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
        }
        await this.stopContainer(pod, c.id, c.name, runtime, gracePeriodSeconds);
      }),
    );
    await Promise.all(sandboxes.map((s) => cri.stopPodSandbox(s.id)));
    return containers.length > 0 || sandboxes.length > 0;
  }

  /**
   * An empty host file mounted at terminationMessagePath, one per container instance, which the
   * kubelet reads back when the container exits (upstream's pods/<uid>/containers/<name>/<id>).
   */
  private async terminationMessageMount(
    pod: Readonly<Pod>,
    container: Readonly<Container>,
  ): Promise<Mount[]> {
    const path = container.terminationMessagePath ?? '';
    if (path === '') return [];
    const dir = join(
      this.options.volumes.podDir(pod.metadata.uid ?? ''),
      'containers',
      container.name,
    );
    await mkdir(dir, { recursive: true });
    const file = join(dir, randomBytes(4).toString('hex'));
    await writeFile(file, '', { mode: 0o666 });
    // The mode asked for is masked by the umask; the container's user may not be root.
    await chmod(file, 0o666);
    return [{ container_path: path, host_path: file, readonly: false }];
  }

  /** A subPath that does not exist yet is made (as upstream does) before the runtime mounts it. */
  private async subPathsCreated(container: Readonly<Container>, mounts: Mount[]): Promise<Mount[]> {
    for (const [i, m] of (container.volumeMounts ?? []).entries()) {
      const hostPath = mounts[i]?.host_path;
      if ((m.subPath ?? '') !== '' && hostPath !== undefined)
        await mkdir(hostPath, { recursive: true });
    }
    return mounts;
  }

  /** Deletes the pod's sandboxes (and with them its containers) and its volumes. */
  async removePod(runtime: RuntimePodStatus): Promise<void> {
    const { cri } = this.options;
    await Promise.all(runtime.containers.map((c) => cri.removeContainer(c.id)));
    await Promise.all(runtime.sandboxes.map((s) => cri.removePodSandbox(s.id)));
    await this.options.volumes.tearDown(runtime.uid);
  }
}
