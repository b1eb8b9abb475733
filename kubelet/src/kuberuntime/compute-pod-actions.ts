// What one sync of a pod must do, decided from its spec and its runtime state alone (Kubernetes'
// kuberuntime computePodActions). Pure: the executor (sync-pod.ts) carries the plan out over CRI,
// and this file's table test is where the restart rules are pinned down.
import type { Container, Pod, RestartPolicy } from '@skiff/api';
import {
  latestContainer,
  type ContainerRuntimeStatus,
  type RuntimePodStatus,
} from '../container/index.js';
import { containerHash } from './container-hash.js';

export interface ContainerToKill {
  readonly id: string;
  readonly name: string;
  /** Why, for the Killing event and the log. */
  readonly message: string;
}

export interface ContainerInBackOff {
  readonly name: string;
  readonly remainingMs: number;
}

export interface PodActions {
  /** Stop every container and the sandbox (a new sandbox, or nothing left to run). */
  readonly killPod: boolean;
  readonly createSandbox: boolean;
  /** The sandbox containers start in; '' when a new one is created. */
  readonly sandboxId: string;
  /** metadata.attempt of a new sandbox: how many this pod had before. */
  readonly attempt: number;
  /** The next init container to (re)start; init containers run one at a time, in order. */
  readonly initContainerToStart: string | undefined;
  readonly containersToStart: readonly string[];
  readonly containersToKill: readonly ContainerToKill[];
  /** Containers that would restart but must wait (CrashLoopBackOff). */
  readonly backOff: readonly ContainerInBackOff[];
}

export interface PlanInput {
  readonly pod: Readonly<Pod>;
  readonly status: RuntimePodStatus;
  /**
   * How long the container must still wait before it restarts after exiting at `finishedAt`
   * (CrashLoopBackOff); 0 when it may restart now.
   */
  readonly backoffRemaining: (containerName: string, finishedAt: number) => number;
  /** Now, on the kubelet's clock (a container killed now for failing a probe exits now). */
  readonly now: number;
  /** A running container's failed liveness or startup probe, if any. */
  readonly probeFailure?: (containerId: string) => 'liveness' | 'startup' | undefined;
}

/** An init container with restartPolicy Always: it keeps running beside the containers. */
export function isSidecar(container: Readonly<Container>): boolean {
  return container.restartPolicy === 'Always';
}

function restartPolicyOf(pod: Readonly<Pod>): RestartPolicy {
  return pod.spec.restartPolicy ?? 'Always';
}

function succeeded(status: ContainerRuntimeStatus | undefined): boolean {
  return status?.state === 'exited' && status.exitCode === 0;
}

/** Whether a container that is not running should run (again) under the pod's policy. */
function shouldRestart(status: ContainerRuntimeStatus | undefined, policy: RestartPolicy): boolean {
  if (status === undefined || status.state !== 'exited') return true;
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return status.exitCode !== 0;
  return true;
}

interface SandboxDecision {
  readonly create: boolean;
  readonly sandboxId: string;
  readonly attempt: number;
}

/** Upstream's podSandboxChanged: a pod needs a new sandbox if it has no single ready one. */
function sandboxDecision(status: RuntimePodStatus): SandboxDecision {
  const [latest] = status.sandboxes;
  if (latest === undefined) return { create: true, sandboxId: '', attempt: 0 };
  const ready = status.sandboxes.filter((s) => s.state === 'ready').length;
  if (ready > 1 || latest.state !== 'ready') {
    return { create: true, sandboxId: '', attempt: latest.attempt + 1 };
  }
  return { create: false, sandboxId: latest.id, attempt: latest.attempt };
}

const noActions = {
  killPod: false,
  createSandbox: false,
  initContainerToStart: undefined,
  containersToStart: [],
  containersToKill: [],
  backOff: [],
} as const;

export function computePodActions(input: PlanInput): PodActions {
  const { pod, status, backoffRemaining } = input;
  const policy = restartPolicyOf(pod);
  const initContainers = pod.spec.initContainers ?? [];
  const containers = pod.spec.containers;
  const sandbox = sandboxDecision(status);

  if (sandbox.create) {
    const base = { ...noActions, killPod: true, sandboxId: '', attempt: sandbox.attempt };
    // A Never pod whose sandbox died after its containers ran is over: it is not run again.
    if (policy === 'Never' && sandbox.attempt > 0 && status.containers.length > 0) return base;
    const [firstInit] = initContainers;
    if (firstInit !== undefined) {
      return { ...base, createSandbox: true, initContainerToStart: firstInit.name };
    }
    const toStart = containers
      .filter((c) => !(policy === 'OnFailure' && succeeded(latestContainer(status, c.name))))
      .map((c) => c.name);
    return { ...base, createSandbox: toStart.length > 0, containersToStart: toStart };
  }

  const actions = { ...noActions, sandboxId: sandbox.sandboxId, attempt: sandbox.attempt };
  const init = initContainerActions(initContainers, containers, status, policy, backoffRemaining);
  if (init !== 'done') return { ...actions, ...init };

  const containersToStart: string[] = [];
  const containersToKill: ContainerToKill[] = [];
  const backOff: ContainerInBackOff[] = [];
  // Sidecars that stopped start again, whatever the pod's policy; they keep no pod alive.
  for (const sidecar of initContainers.filter(isSidecar)) {
    const latest = latestContainer(status, sidecar.name);
    if (latest?.state === 'running') continue;
    const remaining =
      latest?.state === 'exited' ? backoffRemaining(sidecar.name, latest.finishedAt) : 0;
    if (remaining > 0) backOff.push({ name: sidecar.name, remainingMs: remaining });
    else containersToStart.push(sidecar.name);
  }
  const sidecarsToStart = containersToStart.length;
  const sidecarsInBackOff = backOff.length;
  let keepCount = 0;
  for (const container of containers) {
    const latest = latestContainer(status, container.name);
    if (latest?.state === 'running') {
      const failed = input.probeFailure?.(latest.id);
      if (latest.hash !== '' && latest.hash !== containerHash(container)) {
        containersToKill.push({
          id: latest.id,
          name: container.name,
          message: `Container ${container.name} definition changed`,
        });
        containersToStart.push(container.name);
      } else if (failed !== undefined) {
        // Upstream restarts it unless the policy is Never, and the restart waits out the
        // CrashLoopBackOff like any other: repeated probe failures back off too.
        const message = `Container ${container.name} failed ${failed} probe, will be restarted`;
        containersToKill.push({ id: latest.id, name: container.name, message });
        if (policy !== 'Never') {
          const remaining = backoffRemaining(container.name, input.now);
          if (remaining > 0) backOff.push({ name: container.name, remainingMs: remaining });
          else containersToStart.push(container.name);
        }
      } else {
        keepCount++;
      }
      continue;
    }
    if (latest !== undefined && latest.state !== 'exited') {
      // Created but never started, or in a state the runtime cannot name: replace it.
      containersToKill.push({
        id: latest.id,
        name: container.name,
        message: `Stopping container ${container.name}`,
      });
    }
    if (!shouldRestart(latest, policy)) continue;
    const remaining =
      latest?.state === 'exited' ? backoffRemaining(container.name, latest.finishedAt) : 0;
    if (remaining > 0) backOff.push({ name: container.name, remainingMs: remaining });
    else containersToStart.push(container.name);
  }
  // Nothing running and nothing to run: the pod is done, so its sandbox (sidecars too) goes.
  const killPod =
    containersToStart.length === sidecarsToStart &&
    backOff.length === sidecarsInBackOff &&
    keepCount === 0;
  if (killPod) return { ...actions, killPod, containersToStart: [], containersToKill, backOff: [] };
  return { ...actions, killPod, containersToStart, containersToKill, backOff };
}

type InitActions = Pick<
  PodActions,
  'killPod' | 'initContainerToStart' | 'containersToKill' | 'backOff'
>;

/**
 * 'done' once every init container has succeeded (or a regular container exists: they may have
 * been cleaned up since); otherwise what to do about the first one that has not.
 */
function initContainerActions(
  initContainers: readonly Container[],
  containers: readonly Container[],
  status: RuntimePodStatus,
  policy: RestartPolicy,
  backoffRemaining: PlanInput['backoffRemaining'],
): InitActions | 'done' {
  if (containers.some((c) => latestContainer(status, c.name) !== undefined)) return 'done';
  const wait: InitActions = { ...noActions };
  for (const init of initContainers) {
    const latest = latestContainer(status, init.name);
    // A sidecar (restartPolicy Always) lets the next one start as soon as it runs.
    if (isSidecar(init) ? latest?.state === 'running' : succeeded(latest)) continue;
    if (latest === undefined) return { ...wait, initContainerToStart: init.name };
    if (latest.state === 'running') return wait;
    if (latest.state !== 'exited') {
      return {
        ...wait,
        containersToKill: [
          { id: latest.id, name: init.name, message: `Stopping container ${init.name}` },
        ],
        initContainerToStart: init.name,
      };
    }
    // It failed: a Never pod has failed with it; otherwise it runs again after its back-off.
    // A sidecar always runs again.
    if (policy === 'Never' && !isSidecar(init)) return { ...wait, killPod: true };
    const remaining = backoffRemaining(init.name, latest.finishedAt);
    if (remaining > 0) return { ...wait, backOff: [{ name: init.name, remainingMs: remaining }] };
    return { ...wait, initContainerToStart: init.name };
  }
  return 'done';
}

/**
 * Whether carrying out the plan touches the runtime (kills, a sandbox, starts): the pod's cached
 * runtime state is then out of date and is read again. A plan that only waits changes nothing.
 */
export function changesRuntime(actions: PodActions): boolean {
  return (
    actions.killPod ||
    actions.createSandbox ||
    actions.initContainerToStart !== undefined ||
    actions.containersToStart.length > 0 ||
    actions.containersToKill.length > 0
  );
}
