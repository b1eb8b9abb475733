// The whole API status of a pod from its runtime state (Kubernetes' generateAPIPodStatus): phase,
// conditions, container statuses, IPs, start time and QoS class. Pure, so a table test pins it;
// the status manager decides whether it differs from what the API has and writes it.
import type { Pod, PodIP, PodStatus } from '@skiff/api';
import type { RuntimePodStatus } from '../container/index.js';
import { podQOSClass } from '../qos/index.js';
import {
  containerStatuses,
  rfc3339,
  type ContainerStatusInput,
  type WaitingReason,
} from './container-statuses.js';
import { podConditions } from './pod-conditions.js';
import { podPhase } from './pod-phase.js';

export interface StatusInput {
  readonly pod: Readonly<Pod>;
  readonly runtime: RuntimePodStatus;
  readonly reasons: ReadonlyMap<string, WaitingReason>;
  readonly runtimeName: string;
  readonly hostIPs: readonly string[];
  /** The pod is being shut down and its containers will not run again. */
  readonly podIsTerminal: boolean;
  readonly now: number;
  readonly probeResult?: ContainerStatusInput['probeResult'];
}

function ipList(ips: readonly string[]): PodIP[] {
  return ips.map((ip) => ({ ip }));
}

export function generateAPIPodStatus(input: StatusInput): PodStatus {
  const { pod, runtime } = input;
  const old = pod.status ?? {};
  const hasInit = (pod.spec.initContainers ?? []).length > 0;
  const common = {
    runtime,
    reasons: input.reasons,
    runtimeName: input.runtimeName,
    defaultWaiting: hasInit ? ('PodInitializing' as const) : ('ContainerCreating' as const),
    ...(input.probeResult !== undefined && { probeResult: input.probeResult }),
  };
  const initStatuses = containerStatuses(pod.spec.initContainers ?? [], common);
  const statuses = containerStatuses(pod.spec.containers, common);
  let phase = podPhase(pod.spec, initStatuses, statuses, input.podIsTerminal);
  // A pod that reached a final phase never leaves it.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;

  const sandbox = runtime.sandboxes[0];
  const sandboxReady = sandbox?.state === 'ready';
  const sandboxIPs = sandboxReady ? sandbox.ips : [];
  const podIPs =
    pod.spec.hostNetwork === true
      ? input.hostIPs
      : sandboxIPs.length > 0
        ? sandboxIPs
        : (old.podIPs ?? []).map((p) => p.ip);

  const status: PodStatus = {
    phase,
    conditions: podConditions({
      spec: pod.spec,
      phase,
      sandboxReady,
      initStatuses,
      statuses,
      old: old.conditions ?? [],
      now: rfc3339(input.now),
    }),
    hostIP: input.hostIPs[0] ?? '',
    hostIPs: ipList(input.hostIPs),
    ...(podIPs[0] !== undefined && { podIP: podIPs[0], podIPs: ipList(podIPs) }),
    startTime: old.startTime ?? rfc3339(input.now),
    ...(hasInit && { initContainerStatuses: initStatuses }),
    containerStatuses: statuses,
    qosClass: podQOSClass(pod),
  };
  if (old.message !== undefined) status.message = old.message;
  if (old.reason !== undefined) status.reason = old.reason;
  if (old.nominatedNodeName !== undefined) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}
