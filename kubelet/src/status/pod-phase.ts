// A pod's phase from its container statuses (Kubernetes' getPhase): Pending while an init
// container has not succeeded or a container waits for its first start; Running while any
// container runs, or will run again under the restart policy; Succeeded or Failed once every
// container has stopped for good — or the pod is being shut down (`podIsTerminal`), when the
// restart policy no longer brings anything back.
import type { ContainerStatus, PodPhase, PodSpec } from '@skiff/api';

export function podPhase(
  spec: Readonly<PodSpec>,
  initStatuses: readonly ContainerStatus[],
  statuses: readonly ContainerStatus[],
  podIsTerminal: boolean,
): PodPhase {
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const s of initStatuses) {
    const sidecar = spec.initContainers?.find((c) => c.name === s.name)?.restartPolicy === 'Always';
    if (sidecar) {
      // A sidecar counts as initialized once it has run; it never fails the pod.
      if (!s.state?.running && !s.state?.terminated && !s.lastState?.terminated) {
        pendingInitialization++;
      }
      continue;
    }
    const terminated = s.state?.terminated;
    const last = s.lastState?.terminated;
    if (s.state?.running) pendingInitialization++;
    else if (terminated) {
      if (terminated.exitCode !== 0) failedInitialization++;
    } else if (last) {
      if (last.exitCode !== 0) failedInitialization++;
    } else pendingInitialization++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInitialization > 0 && policy === 'Never') return 'Failed';
  if (pendingInitialization > 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (!podIsTerminal && policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (podIsTerminal || policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
