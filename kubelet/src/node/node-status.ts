// The Node object the kubelet registers and the status it keeps up to date (Kubernetes'
// kubelet_node_status.go and pkg/kubelet/nodestatus): capacity and allocatable from the machine
// (allocatable leaves out the default hard eviction thresholds, memory.available<100Mi and
// nodefs.available<10%), addresses, nodeInfo, the kubelet's port, and the Ready condition from
// the runtime's own conditions. Pure, so the table test pins what a node looks like.
import type { Node, NodeCondition, NodeStatus, ResourceList, Taint } from '@skiff/api';
import type { RuntimeStatus__Output, VersionResponse__Output } from '@skiff/proto';
import {
  DEFAULT_EVICTION_HARD,
  isHardThreshold,
  parseThresholds,
  thresholdQuantity,
  type Threshold,
} from '../eviction/thresholds.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { MachineInfo } from './machine-info.js';

/** The kubelet version nodes report (the same Kubernetes minor the apiserver serves). */
export const KUBELET_VERSION = 'v1.31.0-skiff.0';

const DEFAULT_HARD_EVICTION = parseThresholds({ hard: DEFAULT_EVICTION_HARD });

export interface NodeIdentity {
  readonly name: string;
  readonly hostname: string;
  /** `--node-labels`, added to the well-known ones. */
  readonly labels: Readonly<Record<string, string>>;
  /** `--register-with-taints`. */
  readonly taints: readonly Taint[];
}

export interface NodeStatusInput {
  readonly machine: MachineInfo;
  readonly runtimeVersion: VersionResponse__Output;
  /** The runtime's Status; undefined when the runtime did not answer. */
  readonly runtimeStatus: RuntimeStatus__Output | undefined;
  /** Why the runtime did not answer. */
  readonly runtimeError?: string;
  readonly internalIP: string;
  readonly hostname: string;
  readonly kubeletPort: number;
  readonly maxPods: number;
  readonly now: string;
  /** The status the API has (for lastTransitionTime). */
  readonly previous?: NodeStatus;
  /** The eviction thresholds; the hard memory and nodefs ones are left out of allocatable. */
  readonly evictionThresholds?: readonly Threshold[];
  /** The pressure conditions the eviction manager reports True (the others are False). */
  readonly pressure?: readonly PressureCondition[];
}

export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** The kubelet's reason and message for each pressure condition, [when True, when False]. */
const PRESSURE_TEXT: Readonly<
  Record<PressureCondition, readonly [readonly [string, string], readonly [string, string]]>
> = {
  MemoryPressure: [
    ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
    ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ],
  DiskPressure: [
    ['KubeletHasDiskPressure', 'kubelet has disk pressure'],
    ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ],
  PIDPressure: [
    ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'],
    ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ],
};

/** MemoryPressure, DiskPressure and PIDPressure, True for those under pressure (pure). */
export function pressureConditions(
  pressure: readonly PressureCondition[],
): Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>[] {
  return (Object.keys(PRESSURE_TEXT) as PressureCondition[]).map((type) => {
    const under = pressure.includes(type);
    const [reason, message] = PRESSURE_TEXT[type][under ? 0 : 1];
    return { type, status: under ? 'True' : 'False', reason, message };
  });
}

function kibibytes(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}

export function nodeCapacity(machine: MachineInfo, maxPods: number): ResourceList {
  return {
    cpu: String(machine.cpus),
    memory: kibibytes(machine.memoryBytes),
    'ephemeral-storage': kibibytes(machine.ephemeralStorageBytes),
    pods: String(maxPods),
  };
}

/** What a hard threshold on `signal` holds back out of `capacity` (0 without one). */
function hardReserve(
  thresholds: readonly Threshold[],
  signal: Threshold['signal'],
  capacity: number,
): number {
  const threshold = thresholds.find((t) => t.signal === signal && isHardThreshold(t));
  return threshold === undefined ? 0 : thresholdQuantity(threshold.value, capacity);
}

/**
 * Capacity minus what the hard eviction thresholds hold back (memory.available for memory,
 * nodefs.available for ephemeral-storage), as the kubelet's allocatable leaves them out.
 */
export function nodeAllocatable(
  machine: MachineInfo,
  maxPods: number,
  thresholds: readonly Threshold[] = DEFAULT_HARD_EVICTION,
): ResourceList {
  const memory = hardReserve(thresholds, 'memory.available', machine.memoryBytes);
  const storage = hardReserve(thresholds, 'nodefs.available', machine.ephemeralStorageBytes);
  return {
    cpu: String(machine.cpus),
    memory: kibibytes(Math.max(0, machine.memoryBytes - memory)),
    'ephemeral-storage': String(Math.max(0, machine.ephemeralStorageBytes - storage)),
    pods: String(maxPods),
  };
}

/** Ready, from RuntimeReady and NetworkReady, with Kubernetes' reasons and message shapes. */
export function readyCondition(
  status: RuntimeStatus__Output | undefined,
  runtimeError: string | undefined,
): Pick<NodeCondition, 'status' | 'reason' | 'message'> {
  if (status === undefined) {
    return {
      status: 'False',
      reason: 'KubeletNotReady',
      message: `container runtime is down: ${runtimeError ?? 'no answer'}`,
    };
  }
  const problems: string[] = [];
  for (const type of ['RuntimeReady', 'NetworkReady']) {
    const c = status.conditions.find((x) => x.type === type);
    if (c?.status !== true) {
      const what =
        type === 'RuntimeReady'
          ? 'container runtime status check may not have completed yet'
          : 'container runtime network not ready';
      problems.push(`${what}: ${type}=false reason:${c?.reason ?? ''} message:${c?.message ?? ''}`);
    }
  }
  if (problems.length > 0) {
    return { status: 'False', reason: 'KubeletNotReady', message: problems.join(', ') };
  }
  return { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
}

export function nodeStatus(input: NodeStatusInput): NodeStatus {
  const { machine, runtimeVersion } = input;
  const own = [
    { type: 'Ready', ...readyCondition(input.runtimeStatus, input.runtimeError) },
    ...pressureConditions(input.pressure ?? []),
  ];
  const conditions = own.map((c): NodeCondition => {
    const before = input.previous?.conditions?.find((p) => p.type === c.type);
    return {
      ...c,
      lastHeartbeatTime: input.now,
      lastTransitionTime:
        before?.status === c.status ? (before.lastTransitionTime ?? input.now) : input.now,
    };
  });
  const owned = new Set(own.map((c) => c.type));
  return {
    capacity: nodeCapacity(machine, input.maxPods),
    allocatable: nodeAllocatable(machine, input.maxPods, input.evictionThresholds),
    conditions: [
      ...conditions,
      // Conditions other components own (NetworkUnavailable, …) are kept.
      ...(input.previous?.conditions ?? []).filter((c) => !owned.has(c.type)),
    ],
    addresses: [
      { type: 'InternalIP', address: input.internalIP },
      { type: 'Hostname', address: input.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletPort } },
    nodeInfo: {
      machineID: machine.machineID,
      systemUUID: machine.systemUUID,
      bootID: machine.bootID,
      kernelVersion: machine.kernelVersion,
      osImage: machine.osImage,
      containerRuntimeVersion: `${runtimeVersion.runtime_name}://${runtimeVersion.runtime_version}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: machine.operatingSystem,
      architecture: machine.architecture,
    },
  };
}

/** The Node registered at start: well-known labels, flag labels and taints, and its status. */
export function initialNode(
  identity: NodeIdentity,
  machine: MachineInfo,
  status: NodeStatus,
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: identity.name,
      labels: {
        'kubernetes.io/hostname': identity.hostname,
        'kubernetes.io/os': machine.operatingSystem,
        'kubernetes.io/arch': machine.architecture,
        'beta.kubernetes.io/os': machine.operatingSystem,
        'beta.kubernetes.io/arch': machine.architecture,
        ...identity.labels,
      },
    },
    spec: identity.taints.length > 0 ? { taints: [...identity.taints] } : {},
    status,
  };
}

/**
 * Whether a status is worth writing before the report period: anything but heartbeat times
 * changed (upstream's nodeStatusHasChanged).
 */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined): string =>
    canonicalJson({
      ...s,
      conditions: (s?.conditions ?? []).map(({ lastHeartbeatTime: _h, ...rest }) => rest),
    });
  return strip(a) !== strip(b);
}
