// Where each pod's startup time goes, seen from the kubelet's two edges: its CRI calls (the
// sandbox ready, the containers started) and its pods/status writes (the Running status
// written). `TimedCri` is the kubelet's real CRI client that also notes when those calls
// returned, by pod name; `timedStatusWrites` wraps the kubelet's real API client the same way.
// Times are wall-clock milliseconds, so they line up with the scheduler's decision times.
import type { Pod, PodStatus } from '@skiff/api';
import type { Client } from '@skiff/client';
import type {
  ContainerConfig,
  ContainerFilter,
  ContainerStatus__Output,
  Container__Output,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus__Output,
  PodSandbox__Output,
} from '@skiff/proto';
import { RemoteCri } from '../cri/index.js';

/** Wall-clock milliseconds with sub-millisecond resolution. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export type KubeletStage = 'sandboxReady' | 'containersStarted' | 'statusWritten';

/** When each stage was first reached, per pod name. */
export class StageStamps {
  private readonly stamps = new Map<string, Map<KubeletStage, number>>();

  note(pod: string, stage: KubeletStage, at = wallNow()): void {
    let stages = this.stamps.get(pod);
    if (stages === undefined) {
      stages = new Map();
      this.stamps.set(pod, stages);
    }
    if (!stages.has(stage)) stages.set(stage, at);
  }

  get(pod: string, stage: KubeletStage): number | undefined {
    return this.stamps.get(pod)?.get(stage);
  }
}

/** The kubelet's CRI client, noting sandbox and container starts and counting state reads. */
export class TimedCri extends RemoteCri {
  /** How many times the pod state was read (lists and status calls), by CRI method. */
  readonly reads = new Map<string, number>();
  private readonly podOfContainer = new Map<string, string>();

  constructor(
    endpoint: string,
    private readonly stamps: StageStamps,
  ) {
    super(endpoint);
  }

  private count(method: string): void {
    this.reads.set(method, (this.reads.get(method) ?? 0) + 1);
  }

  override async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = await super.runPodSandbox(config);
    this.stamps.note(config.metadata?.name ?? '', 'sandboxReady');
    return id;
  }

  override async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    const id = await super.createContainer(podSandboxId, config, sandboxConfig);
    this.podOfContainer.set(id, sandboxConfig.metadata?.name ?? '');
    return id;
  }

  /** The bench's pods have one container: its start is the pod's containers started. */
  override async startContainer(containerId: string): Promise<void> {
    await super.startContainer(containerId);
    this.stamps.note(this.podOfContainer.get(containerId) ?? '', 'containersStarted');
  }

  override listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox__Output[]> {
    this.count('ListPodSandbox');
    return super.listPodSandbox(filter);
  }

  override listContainers(filter?: ContainerFilter): Promise<Container__Output[]> {
    this.count('ListContainers');
    return super.listContainers(filter);
  }

  override podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus__Output> {
    this.count('PodSandboxStatus');
    return super.podSandboxStatus(podSandboxId);
  }

  override containerStatus(containerId: string): Promise<ContainerStatus__Output> {
    this.count('ContainerStatus');
    return super.containerStatus(containerId);
  }
}

function allRunning(status: PodStatus | undefined): boolean {
  const containers = status?.containerStatuses ?? [];
  return (
    status?.phase === 'Running' &&
    containers.length > 0 &&
    containers.every((c) => c.state?.running !== undefined)
  );
}

/** The kubelet's API client, noting when a pod's Running status write came back. */
export function timedStatusWrites(client: Client, stamps: StageStamps): Client {
  return {
    ...client,
    pods: (namespace?: string) => {
      const pods = client.pods(namespace);
      const timed: typeof pods = Object.create(pods) as typeof pods;
      timed.patch = async (name, patch, options) => {
        const written: Pod = await pods.patch(name, patch, options);
        if (options.subresource === 'status' && allRunning(written.status)) {
          stamps.note(name, 'statusWritten');
        }
        return written;
      };
      return timed;
    },
  };
}
