// The API's containerStatuses / initContainerStatuses from the runtime's containers (Kubernetes'
// convertToAPIContainerStatuses): the newest container of a name is its state, the one before it
// its lastState; a container the last sync could not start waits with that sync's reason
// (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError, …).
import type { Container, ContainerState, ContainerStatus } from '@skiff/api';
import {
  latestContainer,
  previousContainer,
  type ContainerRuntimeStatus,
  type RuntimePodStatus,
} from '../container/index.js';
import type { ProbeResult } from '../prober/probe.js';

/** Why a container is not running, as the last sync found (upstream's reasonCache entry). */
export interface WaitingReason {
  readonly reason: string;
  readonly message: string;
}

export interface ContainerStatusInput {
  readonly runtime: RuntimePodStatus;
  /** Why containers (by name) could not be started at the last sync. */
  readonly reasons: ReadonlyMap<string, WaitingReason>;
  /** `skiff`, `containerd`: the scheme of containerID. */
  readonly runtimeName: string;
  /** The waiting reason of a container that has not been created yet. */
  readonly defaultWaiting: 'ContainerCreating' | 'PodInitializing';
  /** The probes' verdict on a container instance; without it, probes count as passed. */
  readonly probeResult?: (containerId: string, type: 'readiness' | 'startup') => ProbeResult;
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminatedState(c: ContainerRuntimeStatus, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason !== '' ? c.reason : c.exitCode === 0 ? 'Completed' : 'Error',
      ...(c.message !== '' && { message: c.message }),
      ...(c.startedAt > 0 && { startedAt: rfc3339(c.startedAt) }),
      ...(c.finishedAt > 0 && { finishedAt: rfc3339(c.finishedAt) }),
      containerID: `${runtimeName}://${c.id}`,
    },
  };
}

function stateOf(c: ContainerRuntimeStatus, runtimeName: string): ContainerState {
  switch (c.state) {
    case 'running':
      return { running: { startedAt: rfc3339(c.startedAt) } };
    case 'exited':
      return terminatedState(c, runtimeName);
    default:
      return { waiting: { reason: 'ContainerCreating' } };
  }
}

export function containerStatuses(
  containers: readonly Container[],
  input: ContainerStatusInput,
): ContainerStatus[] {
  return containers.map((spec) => {
    const latest = latestContainer(input.runtime, spec.name);
    const previous = previousContainer(input.runtime, spec.name);
    const status: ContainerStatus = {
      name: spec.name,
      state: { waiting: { reason: input.defaultWaiting } },
      ready: false,
      restartCount: latest?.restartCount ?? 0,
      image: spec.image ?? '',
      imageID: latest?.imageRef ?? '',
      started: false,
    };
    if (latest) {
      status.containerID = `${input.runtimeName}://${latest.id}`;
      status.state = stateOf(latest, input.runtimeName);
      // Started once its startup probe passed (at once without one); ready once started and
      // its readiness probe passed (at once without one).
      const passed = (type: 'readiness' | 'startup'): boolean =>
        input.probeResult === undefined || input.probeResult(latest.id, type) === 'success';
      const running = latest.state === 'running';
      status.started = running && (spec.startupProbe === undefined || passed('startup'));
      status.ready = status.started && (spec.readinessProbe === undefined || passed('readiness'));
    }
    if (previous?.state === 'exited')
      status.lastState = terminatedState(previous, input.runtimeName);
    const waiting = input.reasons.get(spec.name);
    if (waiting && latest?.state !== 'running') {
      // Waiting to be (re)started: what ran last becomes lastState.
      if (status.state?.terminated) status.lastState = status.state;
      status.state = {
        waiting: { reason: waiting.reason, ...(waiting.message && { message: waiting.message }) },
      };
    }
    return status;
  });
}
