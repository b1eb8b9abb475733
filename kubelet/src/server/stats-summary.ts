// The kubelet's Summary API, GET /stats/summary (Kubernetes' statsapi.Summary, the CPU and
// memory part): the node's usage, and each pod's and container's, as metrics-server and
// `skiff top` read it. Containers come from the runtime's CRI ContainerStats, grouped into pods
// by the labels the kubelet put on them; the node's CPU from /proc/stat and its memory working
// set as the eviction manager reads it (usage less inactive file pages).
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { errorMessage, type Clock } from '@skiff/api';
import type { ContainerStats__Output, UInt64Value__Output } from '@skiff/proto';
import {
  CONTAINER_NAME_LABEL,
  POD_NAME_LABEL,
  POD_NAMESPACE_LABEL,
  POD_UID_LABEL,
} from '../container/labels.js';
import type { StatsService } from '../cri/stats-service.js';
import { readMemory, type MemoryReading } from '../eviction/node-stats.js';

export interface CpuStats {
  readonly time: string;
  readonly usageNanoCores?: number;
  readonly usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  readonly time: string;
  readonly workingSetBytes?: number;
  readonly usageBytes?: number;
  readonly availableBytes?: number;
}

export interface ContainerSummary {
  readonly name: string;
  readonly cpu?: CpuStats;
  readonly memory?: MemoryStats;
}

export interface PodSummary {
  readonly podRef: { readonly name: string; readonly namespace: string; readonly uid: string };
  readonly containers: ContainerSummary[];
  readonly cpu?: CpuStats;
  readonly memory?: MemoryStats;
}

export interface Summary {
  readonly node: {
    readonly nodeName: string;
    readonly cpu?: CpuStats;
    readonly memory?: MemoryStats;
  };
  readonly pods: PodSummary[];
}

/** One reading of the node's CPU: cumulative busy time, and when it was read. */
export interface CpuSample {
  readonly atMs: number;
  readonly busyNs: number;
}

const number = (v: UInt64Value__Output | null | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v.value);

/** Running containers only: an exited one reports no usage, and kubelets leave it out. */
export function summaryFrom(input: {
  readonly nodeName: string;
  readonly now: number;
  readonly nodeCpu?: { readonly previous: CpuSample; readonly current: CpuSample };
  readonly nodeMemory?: MemoryReading;
  readonly containers: readonly ContainerStats__Output[];
}): Summary {
  const time = new Date(input.now).toISOString();
  const pods = new Map<string, PodSummary>();
  for (const s of input.containers) {
    const labels = s.attributes?.labels ?? {};
    const uid = labels[POD_UID_LABEL];
    if (uid === undefined || (!s.cpu && !s.memory)) continue;
    const pod = pods.get(uid) ?? {
      podRef: {
        name: labels[POD_NAME_LABEL] ?? '',
        namespace: labels[POD_NAMESPACE_LABEL] ?? '',
        uid,
      },
      containers: [],
    };
    pod.containers.push({
      name: labels[CONTAINER_NAME_LABEL] ?? s.attributes?.metadata?.name ?? '',
      cpu: {
        time,
        usageNanoCores: number(s.cpu?.usage_nano_cores),
        usageCoreNanoSeconds: number(s.cpu?.usage_core_nano_seconds),
      },
      memory: {
        time,
        workingSetBytes: number(s.memory?.working_set_bytes),
        usageBytes: number(s.memory?.usage_bytes),
      },
    });
    pods.set(uid, pod);
  }
  return {
    node: {
      nodeName: input.nodeName,
      ...(input.nodeCpu && { cpu: nodeCpu(input.nodeCpu.previous, input.nodeCpu.current, time) }),
      ...(input.nodeMemory && { memory: nodeMemory(input.nodeMemory, time) }),
    },
    pods: [...pods.values()].map((pod) => ({ ...pod, ...podTotals(pod, time) })),
  };
}

function nodeCpu(previous: CpuSample, current: CpuSample, time: string): CpuStats {
  const elapsedNs = (current.atMs - previous.atMs) * 1e6;
  return {
    time,
    usageCoreNanoSeconds: current.busyNs,
    ...(elapsedNs > 0 && {
      usageNanoCores: Math.round(((current.busyNs - previous.busyNs) / elapsedNs) * 1e9),
    }),
  };
}

function nodeMemory(m: MemoryReading, time: string): MemoryStats {
  const workingSetBytes = Math.max(0, m.usageBytes - m.inactiveFileBytes);
  return {
    time,
    workingSetBytes,
    usageBytes: m.usageBytes,
    availableBytes: Math.max(0, m.capacityBytes - workingSetBytes),
  };
}

/** A pod's usage: its containers' summed (a figure is missing if no container reports it). */
function podTotals(pod: PodSummary, time: string): Pick<PodSummary, 'cpu' | 'memory'> {
  const sum = (pick: (c: ContainerSummary) => number | undefined) => {
    const values = pod.containers.map(pick).filter((v): v is number => v !== undefined);
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  };
  return {
    cpu: {
      time,
      usageNanoCores: sum((c) => c.cpu?.usageNanoCores),
      usageCoreNanoSeconds: sum((c) => c.cpu?.usageCoreNanoSeconds),
    },
    memory: { time, workingSetBytes: sum((c) => c.memory?.workingSetBytes) },
  };
}

/** The node's busy CPU time from /proc/stat's first line (user … steal, in USER_HZ ticks). */
export function busyNsFromProcStat(text: string): number {
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  const USER_HZ = 100;
  return ((user + nice + system + irq + softirq + steal) * 1e9) / USER_HZ;
}

/**
 * The node's CPU rate needs two readings: the last request's, or — on the first request, or after
 * a long pause — one taken a moment before this one.
 */
export class NodeCpuSampler {
  private last: CpuSample | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly read: () => Promise<number> = async () =>
      busyNsFromProcStat(await readFile('/proc/stat', 'utf8')),
  ) {}

  async sample(): Promise<{ previous: CpuSample; current: CpuSample }> {
    let previous = this.last;
    if (!previous || this.clock.now() - previous.atMs > 60_000) {
      previous = { atMs: this.clock.now(), busyNs: await this.read() };
      await this.clock.sleep(200);
    }
    const current = { atMs: this.clock.now(), busyNs: await this.read() };
    this.last = current;
    return { previous, current };
  }
}

export interface StatsSummaryOptions {
  readonly nodeName: string;
  readonly clock: Clock;
  readonly stats: Pick<StatsService, 'listContainerStats'>;
  readonly cpu: NodeCpuSampler;
  readonly log: (message: string) => void;
}

export async function serveStatsSummary(
  res: ServerResponse,
  options: StatsSummaryOptions,
): Promise<void> {
  const [containers, cpu, memory] = await Promise.all([
    options.stats.listContainerStats(),
    options.cpu.sample().catch((err: unknown) => {
      options.log(`/stats/summary: node CPU: ${errorMessage(err)}`);
      return undefined;
    }),
    readMemory().catch((err: unknown) => {
      options.log(`/stats/summary: node memory: ${errorMessage(err)}`);
      return undefined;
    }),
  ]);
  const summary = summaryFrom({
    nodeName: options.nodeName,
    now: options.clock.now(),
    nodeCpu: cpu,
    nodeMemory: memory,
    containers,
  });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(summary));
}
