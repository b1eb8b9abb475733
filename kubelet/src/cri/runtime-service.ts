// What the kubelet asks of a CRI runtime, as Kubernetes' internalapi.RuntimeService and
// ImageManagerService: an interface, so the pod sync can be driven by the real gRPC client and
// the PLEG and status code can be fed a recorded runtime state in tests.
import type {
  AuthConfig,
  Container__Output,
  ContainerConfig,
  ContainerFilter,
  ContainerStatus__Output,
  Image__Output,
  PodSandbox__Output,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus__Output,
  RuntimeStatus__Output,
  VersionResponse__Output,
} from '@skiff/proto';
import type { StatsService } from './stats-service.js';
import type { StreamingService } from './streaming-service.js';

export interface RuntimeService {
  version(): Promise<VersionResponse__Output>;
  /** RuntimeReady and NetworkReady, as the runtime reports them. */
  status(): Promise<RuntimeStatus__Output>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus__Output>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox__Output[]>;
  createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Signals the container, then kills it after `timeoutSeconds` (its grace period). */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container__Output[]>;
  containerStatus(containerId: string): Promise<ContainerStatus__Output>;
  /** Tells the runtime the node's pod CIDR (UpdateRuntimeConfig), once node IPAM assigned one. */
  updateRuntimeConfig(podCidr: string): Promise<void>;
  /** Runs `cmd` in the container and waits for it (exec probes, hooks); rejects on timeout. */
  execSync(
    containerId: string,
    cmd: readonly string[],
    timeoutSeconds: number,
  ): Promise<ExecSyncResult>;
}

export interface ExecSyncResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
}

export interface ImageService {
  /** The image if the runtime has it, else undefined. */
  imageStatus(image: string): Promise<Image__Output | undefined>;
  /** Pulls `image`; resolves with the image reference (its ID) the runtime stored. */
  pullImage(image: string, auth?: AuthConfig): Promise<string>;
}

/**
 * What the image garbage collector asks besides ImageService: every image the runtime holds, and
 * removing one (CRI ListImages and RemoveImage; removing a missing image succeeds).
 */
export interface ImageGcService {
  listImages(): Promise<Image__Output[]>;
  removeImage(image: string): Promise<void>;
}

export type Cri = RuntimeService & ImageService & ImageGcService & StreamingService & StatsService;
