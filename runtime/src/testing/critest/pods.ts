// Fixture builders for the suite: pod sandbox and container configs shaped as the kubelet sends
// them (own PID namespace per container, pod network and IPC), with unique names per call, and
// the few multi-step moves every test needs (run a pod, start a container, wait for a state).
import { join } from 'node:path';
import type {
  ContainerConfig,
  ContainerState,
  ContainerStatus__Output,
  NamespaceOption,
  PodSandboxConfig,
  RuntimeServiceClient,
} from '@skiff/proto';
import { unaryCall } from '@skiff/proto';
import { eventually } from '@skiff/api/testing';
import { CALL_TIMEOUT_MS, runtimeCall } from './cri-calls.js';
import type { CriTarget } from './cri-target.js';

let serial = 0;

/** What the kubelet asks for a pod without hostNetwork/hostPID/shareProcessNamespace. */
const kubeletNamespaces: NamespaceOption = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' };

export interface PodFixture {
  readonly config: PodSandboxConfig;
  readonly name: string;
  readonly logDirectory: string;
}

export function makePod(
  target: CriTarget,
  name: string,
  labels: Record<string, string> = {},
): PodFixture {
  serial += 1;
  const unique = `${name}-${process.pid}-${serial}`;
  const logDirectory = join(target.logRoot, unique);
  return {
    name: unique,
    logDirectory,
    config: {
      metadata: { name: unique, namespace: 'critest', uid: `uid-${unique}`, attempt: 0 },
      hostname: name,
      log_directory: logDirectory,
      labels: { 'critest/pod': name, ...labels },
      annotations: { 'critest/annotation': unique },
      linux: { security_context: { namespace_options: kubeletNamespaces } },
    },
  };
}

/**
 * A pod with shareProcessNamespace: its containers share one PID namespace, whose init is the
 * sandbox's pause process on every runtime (skiff runtime pins the namespaces of other pods and
 * runs no process for them).
 */
export function makeProcessSharingPod(target: CriTarget, name: string): PodFixture {
  const pod = makePod(target, name);
  return {
    ...pod,
    config: {
      ...pod.config,
      linux: { security_context: { namespace_options: { ...kubeletNamespaces, pid: 'POD' } } },
    },
  };
}

export interface ContainerOptions {
  readonly labels?: Record<string, string>;
  readonly memoryLimitBytes?: number;
  readonly command?: string[];
}

/** A busybox container running `sh -c script`, logging to `<name>.log` in the pod's log dir. */
export function makeContainer(
  target: CriTarget,
  name: string,
  script: string,
  options: ContainerOptions = {},
): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: target.busybox },
    command: options.command ?? ['sh', '-c', script],
    log_path: `${name}.log`,
    labels: { 'critest/container': name, ...options.labels },
    annotations: { 'critest/annotation': name },
    linux: {
      security_context: { namespace_options: kubeletNamespaces },
      ...(options.memoryLimitBytes !== undefined && {
        resources: { memory_limit_in_bytes: options.memoryLimitBytes },
      }),
    },
  };
}

export async function runPod(target: CriTarget, pod: PodFixture): Promise<string> {
  const { pod_sandbox_id } = await runtimeCall(target, 'RunPodSandbox', { config: pod.config });
  return pod_sandbox_id;
}

export async function createContainer(
  target: CriTarget,
  sandboxId: string,
  pod: PodFixture,
  config: ContainerConfig,
): Promise<string> {
  const { container_id } = await runtimeCall(target, 'CreateContainer', {
    pod_sandbox_id: sandboxId,
    config,
    sandbox_config: pod.config,
  });
  return container_id;
}

/** Creates and starts a container; resolves with its id. */
export async function startContainer(
  target: CriTarget,
  sandboxId: string,
  pod: PodFixture,
  config: ContainerConfig,
): Promise<string> {
  const id = await createContainer(target, sandboxId, pod, config);
  await runtimeCall(target, 'StartContainer', { container_id: id });
  return id;
}

export async function containerStatus(
  target: CriTarget,
  id: string,
): Promise<ContainerStatus__Output> {
  const { status } = await runtimeCall(target, 'ContainerStatus', { container_id: id });
  if (status === null) throw new Error(`ContainerStatus ${id} answered without a status`);
  return status;
}

export function waitForState(
  target: CriTarget,
  id: string,
  state: ContainerState,
  timeoutMs?: number,
): Promise<ContainerStatus__Output> {
  return eventually(
    `container ${id} to be ${state}`,
    async () => {
      const status = await containerStatus(target, id);
      return status.state === state ? status : undefined;
    },
    { timeoutMs },
  );
}

/** Stops and removes every pod sandbox (and so every container) the runtime has. */
export async function removeAllPods(runtime: RuntimeServiceClient): Promise<void> {
  const options = { timeoutMs: CALL_TIMEOUT_MS };
  const { items } = await unaryCall(runtime, 'ListPodSandbox', {}, options);
  for (const pod of items) {
    await unaryCall(runtime, 'StopPodSandbox', { pod_sandbox_id: pod.id }, options);
    await unaryCall(runtime, 'RemovePodSandbox', { pod_sandbox_id: pod.id }, options);
  }
}

export interface RunningPod {
  readonly pod: PodFixture;
  readonly id: string;
}

/**
 * One sandbox shared by a group of tests, run on first use (saves a sandbox per test); `adjust`
 * changes its config first (e.g. `privileged`).
 */
export function sharedPod(
  target: () => CriTarget,
  name: string,
  adjust: (pod: PodFixture) => PodFixture = (pod) => pod,
): () => Promise<RunningPod> {
  let running: Promise<RunningPod> | undefined;
  return () => {
    running ??= (async () => {
      const pod = adjust(makePod(target(), name));
      return { pod, id: await runPod(target(), pod) };
    })();
    return running;
  };
}

/** The pod with a privileged sandbox: containerd runs privileged containers only in one. */
export function privileged(pod: PodFixture): PodFixture {
  const linux = pod.config.linux ?? {};
  return {
    ...pod,
    config: {
      ...pod.config,
      linux: { ...linux, security_context: { ...linux.security_context, privileged: true } },
    },
  };
}

/** `config` with `security` merged into its Linux security context. */
export function withSecurityContext(config: ContainerConfig, security: object): ContainerConfig {
  const linux = config.linux ?? {};
  return {
    ...config,
    linux: { ...linux, security_context: { ...linux.security_context, ...security } },
  };
}

/** Creates and starts a container in a shared pod. */
export async function startIn(
  target: CriTarget,
  shared: () => Promise<RunningPod>,
  config: ContainerConfig,
): Promise<string> {
  const { pod, id } = await shared();
  return startContainer(target, id, pod, config);
}
