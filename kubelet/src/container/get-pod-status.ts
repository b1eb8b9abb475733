// Reads one pod's runtime state over CRI: its sandboxes (found by the pod UID label) with their
// IPs, and every container of those sandboxes with its full status (exit code, times, reason).
import type {
  ContainerStatus__Output,
  PodSandbox__Output,
  PodSandboxStatus__Output,
} from '@skiff/proto';
import type { RuntimeService } from '../cri/index.js';
import {
  CONTAINER_HASH_ANNOTATION,
  CONTAINER_NAME_LABEL,
  POD_UID_LABEL,
  type PodRef,
} from './labels.js';
import type {
  ContainerRuntimeState,
  ContainerRuntimeStatus,
  RuntimePodStatus,
  SandboxRuntimeStatus,
} from './runtime-pod-status.js';

/** CRI times are nanoseconds since the epoch, as decimal strings; 0 means unset. */
export function nanosToMillis(nanos: string): number {
  return Number(BigInt(nanos || '0') / 1_000_000n);
}

export async function getPodStatus(
  runtime: RuntimeService,
  pod: PodRef,
): Promise<RuntimePodStatus> {
  const selector = { [POD_UID_LABEL]: pod.uid };
  const [sandboxes, containers] = await Promise.all([
    runtime.listPodSandbox({ label_selector: selector }),
    runtime.listContainers({ label_selector: selector }),
  ]);
  const sandboxStatuses = await Promise.all(
    sandboxes.map(async (s) => toSandboxStatus(s, await runtime.podSandboxStatus(s.id))),
  );
  const containerStatuses = await Promise.all(
    containers.map((c) => runtime.containerStatus(c.id).then(toContainerStatus)),
  );
  return {
    ...pod,
    sandboxes: sandboxStatuses.sort((a, b) => b.createdAt - a.createdAt),
    containers: containerStatuses.sort((a, b) => b.createdAt - a.createdAt),
  };
}

function toSandboxStatus(
  sandbox: PodSandbox__Output,
  status: PodSandboxStatus__Output,
): SandboxRuntimeStatus {
  const network = status.network;
  const ips = network?.ip ? [network.ip, ...network.additional_ips.map((i) => i.ip)] : [];
  return {
    id: sandbox.id,
    state: sandbox.state === 'SANDBOX_READY' ? 'ready' : 'notready',
    createdAt: nanosToMillis(sandbox.created_at),
    attempt: sandbox.metadata?.attempt ?? 0,
    ips,
  };
}

const states: Readonly<Record<string, ContainerRuntimeState>> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
};

export function toContainerStatus(status: ContainerStatus__Output): ContainerRuntimeStatus {
  return {
    id: status.id,
    name: status.labels[CONTAINER_NAME_LABEL] ?? status.metadata?.name ?? '',
    state: states[status.state] ?? 'unknown',
    restartCount: status.metadata?.attempt ?? 0,
    createdAt: nanosToMillis(status.created_at),
    startedAt: nanosToMillis(status.started_at),
    finishedAt: nanosToMillis(status.finished_at),
    exitCode: status.exit_code,
    reason: status.reason,
    message: status.message,
    image: status.image?.image ?? '',
    imageRef: status.image_ref,
    hash: status.annotations[CONTAINER_HASH_ANNOTATION] ?? '',
  };
}
