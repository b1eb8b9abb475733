// The CRI client over gRPC on a unix socket: one RuntimeService and one ImageService client from
// @skiff/proto, each call with a deadline. Kubernetes' default runtime request timeout is 2
// minutes; pulls and stops get longer ones because they legitimately take that long.
import {
  newImageServiceClient,
  newRuntimeServiceClient,
  unaryCall,
  type AuthConfig,
  type ContainerConfig,
  type ContainerFilter,
  type ImageServiceClient,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type RuntimeServiceClient,
} from '@skiff/proto';
import { socketPathOf } from './endpoint.js';
import type { Cri } from './runtime-service.js';
import type { StreamRequest } from './streaming-service.js';

const REQUEST_TIMEOUT_MS = 2 * 60_000;
const PULL_TIMEOUT_MS = 15 * 60_000;

export class RemoteCri implements Cri {
  private readonly runtime: RuntimeServiceClient;
  private readonly images: ImageServiceClient;

  constructor(endpoint: string) {
    const socket = socketPathOf(endpoint);
    this.runtime = newRuntimeServiceClient(socket);
    this.images = newImageServiceClient(socket);
  }

  close(): void {
    this.runtime.close();
    this.images.close();
  }

  version() {
    return unaryCall(this.runtime, 'Version', { version: 'v1' }, { timeoutMs: REQUEST_TIMEOUT_MS });
  }

  async status() {
    const response = await unaryCall(this.runtime, 'Status', {}, { timeoutMs: REQUEST_TIMEOUT_MS });
    if (response.status === null) throw new Error('CRI Status answered without a status');
    return response.status;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const response = await unaryCall(
      this.runtime,
      'RunPodSandbox',
      { config },
      // Setting up the network namespace and the pause container can be slow on a busy node.
      { timeoutMs: 4 * 60_000 },
    );
    return response.pod_sandbox_id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await unaryCall(
      this.runtime,
      'StopPodSandbox',
      { pod_sandbox_id: podSandboxId },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await unaryCall(
      this.runtime,
      'RemovePodSandbox',
      { pod_sandbox_id: podSandboxId },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  async podSandboxStatus(podSandboxId: string) {
    const response = await unaryCall(
      this.runtime,
      'PodSandboxStatus',
      { pod_sandbox_id: podSandboxId },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    if (response.status === null) throw new Error(`sandbox ${podSandboxId}: no status`);
    return response.status;
  }

  async listPodSandbox(filter?: PodSandboxFilter) {
    const response = await unaryCall(
      this.runtime,
      'ListPodSandbox',
      { filter: filter ?? null },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.items;
  }

  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    const response = await unaryCall(
      this.runtime,
      'CreateContainer',
      { pod_sandbox_id: podSandboxId, config, sandbox_config: sandboxConfig },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.container_id;
  }

  async startContainer(containerId: string): Promise<void> {
    await unaryCall(
      this.runtime,
      'StartContainer',
      { container_id: containerId },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await unaryCall(
      this.runtime,
      'StopContainer',
      { container_id: containerId, timeout: timeoutSeconds },
      // The runtime waits out the grace period before it kills: give it that long and then some.
      { timeoutMs: REQUEST_TIMEOUT_MS + timeoutSeconds * 1000 },
    );
  }

  async removeContainer(containerId: string): Promise<void> {
    await unaryCall(
      this.runtime,
      'RemoveContainer',
      { container_id: containerId },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  async listContainers(filter?: ContainerFilter) {
    const response = await unaryCall(
      this.runtime,
      'ListContainers',
      { filter: filter ?? null },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.containers;
  }

  async containerStatus(containerId: string) {
    const response = await unaryCall(
      this.runtime,
      'ContainerStatus',
      { container_id: containerId },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    if (response.status === null) throw new Error(`container ${containerId}: no status`);
    return response.status;
  }

  async updateRuntimeConfig(podCidr: string): Promise<void> {
    await unaryCall(
      this.runtime,
      'UpdateRuntimeConfig',
      { runtime_config: { network_config: { pod_cidr: podCidr } } },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  async execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number) {
    const response = await unaryCall(
      this.runtime,
      'ExecSync',
      { container_id: containerId, cmd: [...cmd], timeout: timeoutSeconds },
      // The runtime enforces the command's timeout; the call's deadline only covers a hung runtime.
      { timeoutMs: REQUEST_TIMEOUT_MS + timeoutSeconds * 1000 },
    );
    return { stdout: response.stdout, stderr: response.stderr, exitCode: response.exit_code };
  }

  async exec(containerId: string, cmd: readonly string[], streams: StreamRequest) {
    const response = await unaryCall(
      this.runtime,
      'Exec',
      { container_id: containerId, cmd: [...cmd], ...streams },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.url;
  }

  async attach(containerId: string, streams: StreamRequest) {
    const response = await unaryCall(
      this.runtime,
      'Attach',
      { container_id: containerId, ...streams },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.url;
  }

  async portForward(podSandboxId: string, ports: readonly number[]) {
    const response = await unaryCall(
      this.runtime,
      'PortForward',
      { pod_sandbox_id: podSandboxId, port: [...ports] },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.url;
  }

  async listContainerStats() {
    const response = await unaryCall(
      this.runtime,
      'ListContainerStats',
      { filter: null },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.stats;
  }

  async imageFsInfo() {
    const response = await unaryCall(
      this.images,
      'ImageFsInfo',
      {},
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.image_filesystems;
  }

  async imageStatus(image: string) {
    const response = await unaryCall(
      this.images,
      'ImageStatus',
      { image: { image } },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.image ?? undefined;
  }

  async listImages() {
    const response = await unaryCall(
      this.images,
      'ListImages',
      { filter: null },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
    return response.images;
  }

  async removeImage(image: string): Promise<void> {
    await unaryCall(
      this.images,
      'RemoveImage',
      { image: { image } },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  async pullImage(image: string, auth?: AuthConfig): Promise<string> {
    const response = await unaryCall(
      this.images,
      'PullImage',
      { image: { image }, auth: auth ?? null },
      { timeoutMs: PULL_TIMEOUT_MS },
    );
    return response.image_ref;
  }
}
