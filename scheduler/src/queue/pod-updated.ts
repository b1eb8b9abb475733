// Whether an update to a pod is one the scheduler should react to: anything but the fields that
// change without changing what the pod asks for (resourceVersion, generation, managed fields,
// finalizers and the status — the scheduler's own PodScheduled condition among it), as
// Kubernetes' isPodUpdated.
import type { Pod } from '@skiff/api';

export function isPodUpdated(oldPod: Readonly<Pod>, newPod: Readonly<Pod>): boolean {
  return JSON.stringify(relevant(oldPod)) !== JSON.stringify(relevant(newPod));
}

function relevant(pod: Readonly<Pod>): unknown {
  const {
    resourceVersion: _rv,
    generation: _generation,
    managedFields: _managedFields,
    finalizers: _finalizers,
    ...metadata
  } = pod.metadata;
  return { metadata, spec: pod.spec };
}
