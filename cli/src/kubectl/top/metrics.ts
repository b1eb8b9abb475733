// What `skiff top` reads: metrics.k8s.io/v1beta1, as kubectl top does — NodeMetrics and
// PodMetrics, which skiff's apiserver makes from the kubelets' Summary API
// (apiserver/src/metrics-api, decision 0014).
import { ResourceQuantity, type ObjectMeta } from '@skiff/api';
import type { KubeObject } from '@skiff/client';
import type { Connection } from '../connection.js';
import { UsageError } from '../errors.js';

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
  readonly containers: readonly ContainerUsage[];
}

type WireUsage = { readonly cpu?: string; readonly memory?: string } | undefined;

interface NodeMetrics extends KubeObject {
  metadata: ObjectMeta;
  usage?: WireUsage;
}

interface PodMetrics extends KubeObject {
  metadata: ObjectMeta;
  containers?: { name: string; usage?: WireUsage }[];
}

const GROUP = 'metrics.k8s.io';
const gvr = (resource: string) => ({ group: GROUP, version: 'v1beta1', resource });

function usageOf(usage: WireUsage): Usage {
  return {
    cpu: ResourceQuantity.parse(usage?.cpu ?? '0'),
    memory: ResourceQuantity.parse(usage?.memory ?? '0'),
  };
}

/** kubectl's first check: the server must list the metrics group in discovery. */
export async function requireMetricsApi(conn: Connection): Promise<void> {
  const groups = await conn.rest.json<{ groups?: { name: string }[] }>({
    method: 'GET',
    path: '/apis',
  });
  if (!(groups.groups ?? []).some((g) => g.name === GROUP))
    throw new UsageError('error: Metrics API not available');
}

export async function nodeMetrics(
  conn: Connection,
  name: string | undefined,
  labelSelector: string | undefined,
): Promise<Map<string, Usage>> {
  const client = conn.resource<NodeMetrics>(gvr('nodes'), undefined);
  const items = name ? [await client.get(name)] : (await client.list({ labelSelector })).items;
  return new Map(items.map((m) => [m.metadata.name ?? '', usageOf(m.usage)]));
}

export async function podMetrics(
  conn: Connection,
  namespace: string | undefined,
  name: string | undefined,
  labelSelector: string | undefined,
): Promise<PodUsage[]> {
  const client = conn.resource<PodMetrics>(gvr('pods'), namespace);
  const items = name ? [await client.get(name)] : (await client.list({ labelSelector })).items;
  return items.map((m) => ({
    namespace: m.metadata.namespace ?? '',
    name: m.metadata.name ?? '',
    containers: (m.containers ?? []).map((c) => ({ name: c.name, ...usageOf(c.usage) })),
  }));
}
