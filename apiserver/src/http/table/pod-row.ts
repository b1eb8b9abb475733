// The READY, STATUS and RESTARTS cells of a pod, as Kubernetes' printPod computes them
// (pkg/printers/internalversion/printers.go), so `kubectl get pods` reads the same on skiff:
// `Init:1/2` while init containers run, `Completed` for a finished pod, sidecars (restartable init
// containers) counted in READY and RESTARTS, and `3 (2m ago)` for restarts. In order:
//
// | step                 | decides                                                              |
// |----------------------|----------------------------------------------------------------------|
// | start                | status = status.reason, else phase; SchedulingGated if gated         |
// | init containers      | the first one not done sets Init:<reason>, Init:ExitCode:N,          |
// |                      | Init:Signal:N or Init:i/n; a started sidecar counts toward READY     |
// | app containers       | once initialized (or no init container pending): last to first, a    |
// |                      | waiting/terminated reason (or ExitCode:N / Signal:N) wins; a ready   |
// |                      | running one counts toward READY                                      |
// | Completed + running  | a container still running turns Completed into Running (pod Ready)   |
// |                      | or NotReady                                                          |
// | deletion             | Unknown if the node is unreachable, else Terminating unless the pod  |
// |                      | already finished                                                     |
// | restarts             | sidecars' and app containers' counts (init containers' while        |
// |                      | initializing), with the age of the latest restart                    |
import type { Container, ContainerStatus, Pod } from '@skiff/api';
import { humanDuration } from '@skiff/api';

export interface PodRow {
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

// Kubernetes' node lifecycle controller marks pods of an unreachable node with this reason.
const NODE_UNREACHABLE_REASON = 'NodeLost';

export function podRow(pod: Pod, now: number): PodRow {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || '';
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>(
    (spec?.initContainers ?? []).map((c) => [c.name, c]),
  );
  const sidecar = (name: string): boolean => initContainers.get(name)?.restartPolicy === 'Always';
  let total = (spec?.containers ?? []).length;
  for (const c of initContainers.values()) if (c.restartPolicy === 'Always') total++;

  let ready = 0;
  const allRestarts = new RestartTally();
  const sidecarRestarts = new RestartTally();
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, c] of initStatuses.entries()) {
    allRestarts.add(c);
    if (sidecar(c.name)) sidecarRestarts.add(c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting?.reason;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar(c.name) && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting && waiting !== 'PodInitializing') {
      reason = `Init:${waiting}`;
    } else {
      reason = `Init:${i}/${initContainers.size}`;
    }
    initializing = true;
    break;
  }

  let restarts = allRestarts;
  const initialized = status.conditions?.some(
    (c) => c.type === 'Initialized' && c.status === 'True',
  );
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    let running = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (c === undefined) continue;
      restarts.add(c);
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) {
        reason = c.state.waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal
          ? `Signal:${terminated.signal}`
          : `ExitCode:${terminated.exitCode}`;
      } else if (c.ready && c.state?.running) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) {
      const podReady = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp) {
    if (status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }

  return { ready: `${ready}/${total}`, status: reason, restarts: restarts.text(now) };
}

/** The restart count of some containers and when the latest of them last terminated. */
class RestartTally {
  private count = 0;
  private latest = 0;

  add(c: ContainerStatus): void {
    this.count += c.restartCount ?? 0;
    const finishedAt = c.lastState?.terminated?.finishedAt;
    const at = finishedAt ? Date.parse(finishedAt) : NaN;
    if (at > this.latest) this.latest = at;
  }

  text(now: number): string {
    return this.count !== 0 && this.latest > 0
      ? `${this.count} (${humanDuration(now - this.latest)} ago)`
      : String(this.count);
  }
}

/** The wide READINESS GATES cell: how many of the pod's gates are True, or <none>. */
export function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter(
    (g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True',
  ).length;
  return `${passed}/${gates.length}`;
}
