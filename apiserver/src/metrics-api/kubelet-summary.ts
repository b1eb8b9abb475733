// Reading a node's kubelet Summary API (GET /stats/summary, kubelet/src/server/stats-summary.ts)
// and turning it into metrics.k8s.io objects as metrics-server does: CPU as nano-cores, memory
// as the working set in bytes, a window over which the kubelet measured.
import type { Node, ObjectMeta } from '@skiff/api';
import { kubeletUrl } from '../http/handlers/kubelet-location.js';

interface CpuStats {
  readonly usageNanoCores?: number;
}
interface MemoryStats {
  readonly workingSetBytes?: number;
}

export interface Summary {
  readonly node?: { readonly cpu?: CpuStats; readonly memory?: MemoryStats };
  readonly pods?: readonly {
    readonly podRef: { readonly name: string; readonly namespace: string; readonly uid: string };
    readonly containers?: readonly {
      readonly name: string;
      readonly cpu?: CpuStats;
      readonly memory?: MemoryStats;
    }[];
  }[];
}

/** The node's Summary, or undefined when its kubelet does not answer (no metrics for it). */
export async function fetchSummary(
  node: Node,
  log: (message: string) => void,
  timeoutMs = 10_000,
): Promise<Summary | undefined> {
  try {
    const response = await fetch(kubeletUrl(node, '/stats/summary'), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      log(`metrics: node ${node.metadata.name ?? ''}: /stats/summary answered ${response.status}`);
      return undefined;
    }
    return (await response.json()) as Summary;
  } catch (err) {
    log(
      `metrics: node ${node.metadata.name ?? ''}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
}

const WINDOW = '10s';

function usage(cpu: CpuStats | undefined, memory: MemoryStats | undefined) {
  return {
    cpu: `${Math.round(cpu?.usageNanoCores ?? 0)}n`,
    memory: `${Math.round(memory?.workingSetBytes ?? 0)}`,
  };
}

function meta(from: ObjectMeta, now: string): ObjectMeta {
  return {
    name: from.name,
    ...(from.namespace !== undefined && { namespace: from.namespace }),
    creationTimestamp: now,
    ...(from.labels && { labels: from.labels }),
  };
}

export function nodeMetrics(node: Node, summary: Summary, now: string): object | undefined {
  if (!summary.node?.cpu && !summary.node?.memory) return undefined;
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: meta(node.metadata, now),
    timestamp: now,
    window: WINDOW,
    usage: usage(summary.node.cpu, summary.node.memory),
  };
}

export function podMetrics(
  pod: { metadata: ObjectMeta },
  summary: Summary,
  now: string,
): object | undefined {
  const found = summary.pods?.find((p) => p.podRef.uid === pod.metadata.uid);
  if (!found) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: meta(pod.metadata, now),
    timestamp: now,
    window: WINDOW,
    containers: (found.containers ?? []).map((c) => ({
      name: c.name,
      usage: usage(c.cpu, c.memory),
    })),
  };
}
