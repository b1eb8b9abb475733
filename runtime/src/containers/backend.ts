// The small interface the CRI layer calls: RuntimeService's sandbox and container verbs, in CRI's
// own shapes. Two implementations: `linux` (real containers: namespaces, cgroups, overlayfs, via
// conmon + crun/runc) and `process` (plain processes, for hosts without root; no isolation).
import type {
  ContainerConfig,
  ContainerFilter,
  ContainerStatsFilter,
  ContainerStats__Output,
  ContainerStatus__Output,
  Container__Output,
  LinuxContainerResources,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatsFilter,
  PodSandboxStats__Output,
  PodSandboxStatus__Output,
  PodSandbox__Output,
} from '@skiff/proto';
import type { ExecSyncResult } from './container-manager.js';
import type { VerboseDetails } from './verbose-info.js';

/** One entry of CRI Status's conditions (RuntimeReady, NetworkReady). */
export interface RuntimeCondition {
  readonly type: 'RuntimeReady' | 'NetworkReady';
  readonly status: boolean;
  readonly reason: string;
  readonly message: string;
}

export interface RuntimeBackend {
  readonly kind: 'linux' | 'process';
  conditions(): Promise<RuntimeCondition[]>;

  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(sandboxId: string): Promise<void>;
  removePodSandbox(sandboxId: string): Promise<void>;
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus__Output>;
  /** Details for PodSandboxStatus' verbose info (see verbose-info.ts). */
  podSandboxInfo(sandboxId: string): Promise<VerboseDetails>;
  listPodSandbox(filter?: PodSandboxFilter | null): Promise<PodSandbox__Output[]>;
  podSandboxStats(sandboxId: string): Promise<PodSandboxStats__Output>;
  listPodSandboxStats(filter?: PodSandboxStatsFilter | null): Promise<PodSandboxStats__Output[]>;

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus__Output>;
  /** Details for ContainerStatus' verbose info (see verbose-info.ts). */
  containerInfo(containerId: string): Promise<VerboseDetails>;
  listContainers(filter?: ContainerFilter | null): Promise<Container__Output[]>;
  updateContainerResources(
    containerId: string,
    resources: LinuxContainerResources | null | undefined,
  ): Promise<void>;
  reopenContainerLog(containerId: string): Promise<void>;
  execSync(
    containerId: string,
    cmd: readonly string[],
    timeoutSeconds: number,
  ): Promise<ExecSyncResult>;
  containerStats(containerId: string): Promise<ContainerStats__Output>;
  listContainerStats(filter?: ContainerStatsFilter | null): Promise<ContainerStats__Output[]>;
}
