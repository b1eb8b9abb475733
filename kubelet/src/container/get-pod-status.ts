// Reads one pod's runtime state over CRI: its sandboxes (found by the pod UID label) with their
// IPs, and every container of those sandboxes with its full status (exit code, times, reason).
import type {
  ContainerStatus__Output,
  PodSandbox__Output,
  PodSandboxStatus__Output,
} from '@skiff/proto';
import type { RuntimeService } from '../cri/index.js';
import { open } from 'node:fs/promises';
import {
  CONTAINER_HASH_ANNOTATION,
  TERMINATION_MESSAGE_PATH_ANNOTATION,
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
    containers.map(async (c) => {
      const status = await runtime.containerStatus(c.id);
      return toContainerStatus(status, await terminationMessage(status));
    }),
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

/** Upstream reads at most this much of a termination message file. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;

/**
 * What an exited container wrote to its terminationMessagePath: the host file mounted there
 * (see the runtime manager), read back as Kubernetes does; '' if none.
 */
async function terminationMessage(status: ContainerStatus__Output): Promise<string> {
  if (status.state !== 'CONTAINER_EXITED') return '';
  const path = status.annotations[TERMINATION_MESSAGE_PATH_ANNOTATION];
  const mount = status.mounts.find((m) => m.container_path === path);
  if (path === undefined || mount === undefined || mount.host_path === '') return '';
  let file;
  try {
    file = await open(mount.host_path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
  try {
    const buffer = Buffer.alloc(MAX_TERMINATION_MESSAGE_BYTES);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

export function toContainerStatus(
  status: ContainerStatus__Output,
  terminationMessage = '',
): ContainerRuntimeStatus {
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
    message: terminationMessage !== '' ? terminationMessage : status.message,
    image: status.image?.image ?? '',
    imageRef: status.image_ref,
    hash: status.annotations[CONTAINER_HASH_ANNOTATION] ?? '',
  };
}
