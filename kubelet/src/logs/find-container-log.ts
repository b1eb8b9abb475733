// Which log file /containerLogs reads, decided as the kubelet does (validateContainerLogStatus):
// from the pod's container status in the API — the running or last terminated instance, or with
// `previous` the instance before it (lastState) — then the CRI log_path of that container ID.
// A container with nothing to show yet is an error with Kubernetes' message.
import type { ContainerStatus, Pod } from '@skiff/api';
import type { RuntimeService } from '../cri/index.js';

export class ContainerLogError extends Error {
  constructor(
    readonly code: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** The runtime's container ID of a status's `<runtime>://<id>` container ID. */
function runtimeId(containerID: string | undefined): string {
  return (containerID ?? '').replace(/^[a-z0-9-]+:\/\//, '');
}

/** The container ID whose log answers the request; throws ContainerLogError when there is none. */
export function containerIdForLogs(pod: Pod, containerName: string, previous: boolean): string {
  const podName = pod.metadata.name ?? '';
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  if (!spec.some((c) => c.name === containerName)) {
    throw new ContainerLogError(404, `container "${containerName}" not found in pod "${podName}"`);
  }
  const status: ContainerStatus | undefined = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ].find((s) => s.name === containerName);
  const which = `container "${containerName}" in pod "${podName}"`;
  if (status === undefined) throw new ContainerLogError(400, `${which} is not available`);
  const last = status.lastState?.terminated;
  const state = status.state ?? {};
  if (previous) {
    if (!last?.containerID) {
      throw new ContainerLogError(400, `previous terminated ${which} not found`);
    }
    return runtimeId(last.containerID);
  }
  if (state.running) return runtimeId(status.containerID);
  if (state.terminated) return runtimeId(state.terminated.containerID || last?.containerID);
  if (last) {
    if (!last.containerID) throw new ContainerLogError(400, `${which} is terminated`);
    return runtimeId(last.containerID);
  }
  if (state.waiting) {
    const reason = state.waiting.reason ?? '';
    const why =
      reason === 'ErrImagePull'
        ? "image can't be pulled"
        : reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : reason;
    throw new ContainerLogError(400, `${which} is waiting to start: ${why}`);
  }
  throw new ContainerLogError(400, `${which} is waiting to start - no logs yet`);
}

/** The CRI log file of a container, and whether it still runs. */
export async function containerLogPath(runtime: RuntimeService, id: string): Promise<string> {
  const status = await runtime.containerStatus(id);
  const path = status.log_path;
  if (path === '') throw new ContainerLogError(400, `container ${id} has no log path`);
  return path;
}

export async function containerRunning(runtime: RuntimeService, id: string): Promise<boolean> {
  const status = await runtime.containerStatus(id);
  return status.state === 'CONTAINER_RUNNING';
}
