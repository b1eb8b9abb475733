// The linux backend: sandboxes and containers as real Linux containers. It wires the sandbox and
// container managers together (the sandbox manager stops and removes containers; creating a
// container needs its sandbox's namespaces) and reports the runtime's conditions.
import { join } from 'node:path';
import type { Clock } from '@skiff/api';
import type { ContainerConfig } from '@skiff/proto';
import { ContainerRunner, type LinuxHostTools } from '../linux/index.js';
import type { OciRuntime } from '../linux/oci-runtime.js';
import { SandboxManager, type SandboxNetwork } from '../sandboxes/sandbox-manager.js';
import type { RuntimeBackend, RuntimeCondition } from './backend.js';
import { ContainerManager } from './container-manager.js';
import type { ImageSource } from './sandbox-context.js';

export interface LinuxBackendOptions {
  /** State root, e.g. /var/lib/skiff/runtime. */
  readonly root: string;
  readonly tools: LinuxHostTools;
  readonly network: SandboxNetwork & {
    status(): Promise<{
      readonly ready: boolean;
      readonly reason?: string;
      readonly message?: string;
    }>;
  };
  readonly images: ImageSource & { ensureDemoImages?(): Promise<unknown> };
  readonly pauseImage: string;
  readonly pauseImageIsDemo?: boolean;
  /** The OCI runtime's state directory; default `<root>/oci`. Use a tmpfs (/run) in production. */
  readonly ociStateRoot?: string;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export class LinuxBackend implements RuntimeBackend {
  readonly kind = 'linux';

  private constructor(
    readonly sandboxes: SandboxManager,
    readonly containers: ContainerManager,
    private readonly options: LinuxBackendOptions,
    /** The OCI runtime the containers run under: streaming exec calls it directly. */
    readonly oci: OciRuntime,
  ) {}

  /** Loads all state from disk, cleaning up whatever a crash left half-made. */
  static async open(options: LinuxBackendOptions): Promise<LinuxBackend> {
    const runner = await ContainerRunner.open({
      tools: options.tools,
      root: options.root,
      ociStateRoot: options.ociStateRoot ?? join(options.root, 'oci'),
      ...(options.clock !== undefined && { clock: options.clock }),
    });
    const common = {
      root: options.root,
      runner,
      images: options.images,
      ...(options.clock !== undefined && { clock: options.clock }),
      ...(options.log !== undefined && { log: options.log }),
    };
    const containers = await ContainerManager.open(common);
    const sandboxes = await SandboxManager.open({
      ...common,
      network: options.network,
      containers,
      pauseImage: options.pauseImage,
      pauseImageIsDemo: options.pauseImageIsDemo ?? false,
    });
    // Containers whose sandbox record is gone: the runtime died in the middle of removing it.
    const live = new Set(sandboxes.ids());
    for (const sandboxId of containers.sandboxIds()) {
      if (live.has(sandboxId)) continue;
      for (const id of containers.idsIn(sandboxId)) await containers.remove(id);
    }
    return new LinuxBackend(sandboxes, containers, options, runner.oci);
  }

  async conditions(): Promise<RuntimeCondition[]> {
    const network = await this.options.network.status();
    const note = this.options.tools.ociRuntime.note;
    return [
      {
        type: 'RuntimeReady',
        status: true,
        reason: '',
        message: `linux containers via conmon + ${this.options.tools.ociRuntime.path}${note ? ` (${note})` : ''}`,
      },
      {
        type: 'NetworkReady',
        status: network.ready,
        reason: network.reason ?? '',
        message: network.message ?? '',
      },
    ];
  }

  runPodSandbox(config: Parameters<SandboxManager['run']>[0]): Promise<string> {
    return this.sandboxes.run(config);
  }

  stopPodSandbox(sandboxId: string): Promise<void> {
    return this.sandboxes.stop(sandboxId);
  }

  removePodSandbox(sandboxId: string): Promise<void> {
    return this.sandboxes.remove(sandboxId);
  }

  podSandboxStatus(sandboxId: string): ReturnType<SandboxManager['status']> {
    return this.sandboxes.status(sandboxId);
  }

  podSandboxStats(sandboxId: string): ReturnType<SandboxManager['stats']> {
    return this.sandboxes.stats(sandboxId);
  }

  listPodSandboxStats(
    filter?: Parameters<SandboxManager['listStats']>[0],
  ): ReturnType<SandboxManager['listStats']> {
    return this.sandboxes.listStats(filter);
  }

  podSandboxInfo(sandboxId: string): ReturnType<SandboxManager['info']> {
    return this.sandboxes.info(sandboxId);
  }

  listPodSandbox(
    filter?: Parameters<SandboxManager['list']>[0],
  ): ReturnType<SandboxManager['list']> {
    return this.sandboxes.list(filter);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.containers.create(await this.sandboxes.containerContext(sandboxId), config);
  }

  startContainer(containerId: string): Promise<void> {
    return this.containers.start(containerId);
  }

  stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    return this.containers.stop(containerId, timeoutSeconds);
  }

  removeContainer(containerId: string): Promise<void> {
    return this.containers.remove(containerId);
  }

  containerStatus(containerId: string): ReturnType<ContainerManager['status']> {
    return this.containers.status(containerId);
  }

  containerInfo(containerId: string): ReturnType<ContainerManager['info']> {
    return this.containers.info(containerId);
  }

  listContainers(
    filter?: Parameters<ContainerManager['list']>[0],
  ): ReturnType<ContainerManager['list']> {
    return this.containers.list(filter);
  }

  updateContainerResources(
    containerId: string,
    resources: Parameters<ContainerManager['updateResources']>[1],
  ): Promise<void> {
    return this.containers.updateResources(containerId, resources);
  }

  reopenContainerLog(containerId: string): Promise<void> {
    return this.containers.reopenLog(containerId);
  }

  execSync(
    containerId: string,
    cmd: readonly string[],
    timeoutSeconds: number,
  ): ReturnType<ContainerManager['execSync']> {
    return this.containers.execSync(containerId, cmd, timeoutSeconds);
  }

  containerStats(containerId: string): ReturnType<ContainerManager['stats']> {
    return this.containers.stats(containerId);
  }

  listContainerStats(
    filter?: Parameters<ContainerManager['listStats']>[0],
  ): ReturnType<ContainerManager['listStats']> {
    return this.containers.listStats(filter);
  }
}
