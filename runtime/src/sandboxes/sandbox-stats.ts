// CRI PodSandboxStats: the pod's own cgroup (the parent its containers' cgroups live under, so
// its counters include them all), the interfaces of its network namespace, and its containers'
// stats. Pure: the sandbox manager reads the kernel and passes the readings in.
import type {
  ContainerStats__Output,
  NetworkInterfaceUsage__Output,
  PodSandboxStats__Output,
} from '@skiff/proto';
import type { CgroupStats } from '../linux/index.js';
import { cgroupUsage, value } from '../containers/container-stats.js';
import type { SandboxRecord } from './sandbox-record.js';

export interface PodReadings {
  readonly nowNs: bigint;
  /** Undefined for a pod that is not running (nothing to measure). */
  readonly cgroup: CgroupStats | undefined;
  /** The pod's interfaces as /proc/<pid>/net/dev lists them, loopback left out. */
  readonly interfaces: readonly NetworkInterfaceUsage__Output[];
  readonly containers: ContainerStats__Output[];
}

/** The interface the pod network gives every pod. */
const DEFAULT_INTERFACE = 'eth0';

export function podSandboxStats(
  record: SandboxRecord,
  readings: PodReadings,
): PodSandboxStats__Output {
  const usage =
    readings.cgroup === undefined
      ? undefined
      : cgroupUsage(readings.cgroup, readings.nowNs, undefined, undefined);
  const defaultInterface = readings.interfaces.find((i) => i.name === DEFAULT_INTERFACE);
  return {
    attributes: {
      id: record.id,
      metadata: {
        name: record.name,
        uid: record.uid,
        namespace: record.namespace,
        attempt: record.attempt,
      },
      labels: { ...record.labels },
      annotations: { ...record.annotations },
    },
    linux: {
      cpu: usage?.cpu ?? null,
      memory: usage?.memory ?? null,
      network:
        readings.interfaces.length === 0
          ? null
          : {
              timestamp: readings.nowNs.toString(),
              default_interface: defaultInterface ?? null,
              interfaces: readings.interfaces.filter((i) => i !== defaultInterface),
            },
      process:
        readings.cgroup?.processCount === undefined
          ? null
          : {
              timestamp: readings.nowNs.toString(),
              process_count: value(readings.cgroup.processCount),
            },
      containers: readings.containers,
    },
    windows: null,
  };
}

/**
 * /proc/<pid>/net/dev: after "name:", receive bytes, packets, errs, drop, fifo, frame,
 * compressed, multicast, then transmit bytes, packets, errs, …
 */
export function parseNetDev(text: string): NetworkInterfaceUsage__Output[] {
  const usage: NetworkInterfaceUsage__Output[] = [];
  for (const line of text.split('\n').slice(2)) {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, name = '', rest = ''] = match;
    if (name === 'lo') continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    usage.push({
      name,
      rx_bytes: value(fields[0]),
      rx_errors: value(fields[2]),
      tx_bytes: value(fields[8]),
      tx_errors: value(fields[10]),
    });
  }
  return usage;
}
