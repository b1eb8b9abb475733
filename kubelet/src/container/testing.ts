// Test fixtures for runtime state: a pod's sandboxes and containers as getPodStatus returns
// them, written as short calls so a plan or status table reads like a scenario.
import type {
  ContainerRuntimeStatus,
  RuntimePodStatus,
  SandboxRuntimeStatus,
} from './runtime-pod-status.js';

let nextId = 0;

export function sandbox(fields: Partial<SandboxRuntimeStatus> = {}): SandboxRuntimeStatus {
  return {
    id: `sandbox-${++nextId}`,
    state: 'ready',
    createdAt: 1000,
    attempt: 0,
    ips: ['10.88.0.5'],
    ...fields,
  };
}

export function container(
  name: string,
  fields: Partial<ContainerRuntimeStatus> = {},
): ContainerRuntimeStatus {
  return {
    id: `${name}-${++nextId}`,
    name,
    state: 'running',
    restartCount: 0,
    createdAt: 2000,
    startedAt: 2000,
    finishedAt: 0,
    exitCode: 0,
    reason: '',
    message: '',
    image: 'nginx',
    imageRef: 'sha256:aaaa',
    hash: '',
    ...fields,
  };
}

/** An exited container: `exited('app', 1)` failed, `exited('app', 0)` succeeded. */
export function exited(
  name: string,
  exitCode: number,
  fields: Partial<ContainerRuntimeStatus> = {},
): ContainerRuntimeStatus {
  return container(name, { state: 'exited', exitCode, finishedAt: 3000, ...fields });
}

export function runtimePod(
  sandboxes: readonly SandboxRuntimeStatus[],
  containers: readonly ContainerRuntimeStatus[] = [],
): RuntimePodStatus {
  return { uid: 'uid-1', name: 'web', namespace: 'default', sandboxes, containers };
}
