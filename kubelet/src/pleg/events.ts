// The heart of the PLEG (Kubernetes' pkg/kubelet/pleg/generic.go): compare two relists of the
// runtime and say what happened to each container, as a pure function so its table is a test.
// Sandboxes count as containers here, as upstream: a sandbox that dies is a pod event too.

/** What a relist sees of one container or sandbox (upstream's plegContainerState). */
export type PlegContainerState = 'running' | 'exited' | 'unknown' | 'non-existent';

export type PodLifecycleEventType =
  'ContainerStarted' | 'ContainerDied' | 'ContainerRemoved' | 'ContainerChanged';

export interface PodLifecycleEvent {
  /** The pod's UID. */
  readonly id: string;
  readonly type: PodLifecycleEventType;
  /** The container's (or sandbox's) ID. */
  readonly data: string;
}

/** One relist: per pod UID, each container's or sandbox's state by ID. */
export type RelistRecord = ReadonlyMap<string, ReadonlyMap<string, PlegContainerState>>;

/** The events that explain how one container went from `oldState` to `newState`. */
export function eventTypesFor(
  oldState: PlegContainerState,
  newState: PlegContainerState,
): readonly PodLifecycleEventType[] {
  if (oldState === newState) return [];
  switch (newState) {
    case 'running':
      return ['ContainerStarted'];
    case 'exited':
      return ['ContainerDied'];
    case 'unknown':
      return ['ContainerChanged'];
    case 'non-existent':
      // Gone between two relists: if it was not seen dead, it died first.
      return oldState === 'exited' ? ['ContainerRemoved'] : ['ContainerDied', 'ContainerRemoved'];
  }
}

/** Every event between two relists, pod by pod, containers in ID order (deterministic). */
export function generateEvents(
  oldRecord: RelistRecord,
  newRecord: RelistRecord,
): PodLifecycleEvent[] {
  const events: PodLifecycleEvent[] = [];
  const pods = new Set([...oldRecord.keys(), ...newRecord.keys()]);
  for (const podId of [...pods].sort()) {
    const before = oldRecord.get(podId);
    const after = newRecord.get(podId);
    const ids = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
    for (const containerId of [...ids].sort()) {
      const oldState = before?.get(containerId) ?? 'non-existent';
      const newState = after?.get(containerId) ?? 'non-existent';
      for (const type of eventTypesFor(oldState, newState)) {
        events.push({ id: podId, type, data: containerId });
      }
    }
  }
  return events;
}
