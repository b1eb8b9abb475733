// Where `skiff top` reads usage: each node's kubelet Summary API (GET /stats/summary on the
// kubelet's port at the node's InternalIP, as the apiserver reaches kubelets for logs), the same
// figures metrics-server serves as metrics.k8s.io (why not that API: decision 0011).
import { ResourceQuantity, type Node } from '@skiff/api';

/** The part of the kubelet's statsapi.Summary that top reads. */
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

interface CpuStats {
  readonly usageNanoCores?: number;
}
interface MemoryStats {
  readonly workingSetBytes?: number;
}

/** Usage as metrics.k8s.io reports it: cpu and memory quantities. */
export interface Usage {
  readonly cpu: ResourceQuantity;
  readonly memory: ResourceQuantity;
}

export interface ContainerUsage extends Usage {
  readonly name: string;
}

export interface PodUsage {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly containers: readonly ContainerUsage[];
}

const DEFAULT_KUBELET_PORT = 10250;

export function kubeletSummaryUrl(node: Node): URL | undefined {
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (!address) return undefined;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT;
  const host = address.includes(':') ? `[${address}]` : address;
  return new URL(`http://${host}:${port}/stats/summary`);
}

/** The node's Summary, or undefined when its kubelet cannot be reached (top then says <unknown>). */
export async function fetchSummary(node: Node, timeoutMs = 10_000): Promise<Summary | undefined> {
  const url = kubeletSummaryUrl(node);
  if (!url) return undefined;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? ((await response.json()) as Summary) : undefined;
  } catch {
    // An unreachable kubelet is a node without metrics, as metrics-server reports it.
    return undefined;
  }
}

/** metrics-server's conversion: nano-cores as a quantity, working set bytes as one. */
function usageOf(cpu: CpuStats | undefined, memory: MemoryStats | undefined): Usage {
  return {
    cpu: ResourceQuantity.scaled(Math.round(cpu?.usageNanoCores ?? 0), -9),
    memory: ResourceQuantity.of(Math.round(memory?.workingSetBytes ?? 0), 'BinarySI'),
  };
}

export function nodeUsage(summary: Summary): Usage | undefined {
  return summary.node?.cpu || summary.node?.memory
    ? usageOf(summary.node.cpu, summary.node.memory)
    : undefined;
}

export function podUsages(summary: Summary): PodUsage[] {
  return (summary.pods ?? []).map((p) => ({
    ...p.podRef,
    containers: (p.containers ?? []).map((c) => ({ name: c.name, ...usageOf(c.cpu, c.memory) })),
  }));
}
