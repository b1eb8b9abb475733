// Reads one pod's runtime state over CRI: its sandboxes (found by the pod UID label) with their
// IPs, and every container of those sandboxes with its full status (exit code, times, reason).
import type { ContainerStatus__Output, PodSandboxStatus__Output } from '@skiff/proto';
import { rpcStatusOf, type RuntimeService } from '../cri/index.js';
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
  return getPodStatusOf(runtime, pod, {
    sandboxes: sandboxes.map((s) => s.id),
    containers: containers.map((c) => c.id),
  });
}

/**
 * The pod's state from its sandboxes' and containers' own status calls, with no listing: for a
 * caller that knows every ID the pod has (the kubelet after its own actions). An ID the runtime
 * no longer has (removed meanwhile) is left out.
 */
export async function getPodStatusOf(
  runtime: Pick<RuntimeService, 'podSandboxStatus' | 'containerStatus'>,
  pod: PodRef,
  ids: { readonly sandboxes: readonly string[]; readonly containers: readonly string[] },
): Promise<RuntimePodStatus> {
  const [sandboxStatuses, containerStatuses] = await Promise.all([
    Promise.all(
      ids.sandboxes.map(async (id) => {
        const status = await unlessNotFound(runtime.podSandboxStatus(id));
        return status === undefined ? [] : [toSandboxStatus(status)];
      }),
    ),
    Promise.all(
      ids.containers.map(async (id) => {
        const status = await unlessNotFound(runtime.containerStatus(id));
        return status === undefined
          ? []
          : [toContainerStatus(status, await terminationMessage(status))];
      }),
    ),
  ]);
  return {
    ...pod,
    sandboxes: sandboxStatuses.flat().sort((a, b) => b.createdAt - a.createdAt),
    containers: containerStatuses.flat().sort((a, b) => b.createdAt - a.createdAt),
  };
}

/** gRPC's NotFound. */
const NOT_FOUND = 5;

async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (rpcStatusOf(err)?.code === NOT_FOUND) return undefined;
    throw err;
  }
}

/** PodSandboxStatus says all that ListPodSandbox does of a sandbox, and its IPs. */
function toSandboxStatus(status: PodSandboxStatus__Output): SandboxRuntimeStatus {
  const network = status.network;
  const ips = network?.ip ? [network.ip, ...network.additional_ips.map((i) => i.ip)] : [];
  return {
    id: status.id,
    state: status.state === 'SANDBOX_READY' ? 'ready' : 'notready',
    createdAt: nanosToMillis(status.created_at),
    attempt: status.metadata?.attempt ?? 0,
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
