// A pod as the runtime sees it (Kubernetes' kubecontainer.PodStatus): its sandboxes and its
// containers, newest first, with times in milliseconds. The pod sync plans from this and the API
// status is computed from it; neither ever asks the runtime itself.

export type SandboxState = 'ready' | 'notready';
export type ContainerRuntimeState = 'created' | 'running' | 'exited' | 'unknown';

export interface SandboxRuntimeStatus {
  readonly id: string;
  readonly state: SandboxState;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** The sandbox's metadata.attempt: how many sandboxes this pod had before. */
  readonly attempt: number;
  /** The pod's IPs (primary first); empty with host networking or before the network is up. */
  readonly ips: readonly string[];
}

export interface ContainerRuntimeStatus {
  readonly id: string;
  readonly name: string;
  readonly state: ContainerRuntimeState;
  /** The restart count this container was created as (metadata.attempt). */
  readonly restartCount: number;
  readonly createdAt: number;
  /** 0 when not started. */
  readonly startedAt: number;
  /** 0 when not finished. */
  readonly finishedAt: number;
  readonly exitCode: number;
  /** The runtime's reason for an exit (`OOMKilled`, `Completed`, `Error`), if it gave one. */
  readonly reason: string;
  readonly message: string;
  /** The image the container was created from, as the spec named it. */
  readonly image: string;
  /** The runtime's ID of that image. */
  readonly imageRef: string;
  /** Hash of the spec the container was made from (see container-hash.ts). */
  readonly hash: string;
}

export interface RuntimePodStatus {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** Newest first. */
  readonly sandboxes: readonly SandboxRuntimeStatus[];
  /** Newest first. */
  readonly containers: readonly ContainerRuntimeStatus[];
}

/** The newest container of that name, if any (what the spec's container is now). */
export function latestContainer(
  status: RuntimePodStatus,
  name: string,
): ContainerRuntimeStatus | undefined {
  return status.containers.find((c) => c.name === name);
}

/** The container of that name before the newest one: the source of `lastState`. */
export function previousContainer(
  status: RuntimePodStatus,
  name: string,
): ContainerRuntimeStatus | undefined {
  return status.containers.filter((c) => c.name === name)[1];
}
