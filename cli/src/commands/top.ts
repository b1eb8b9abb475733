// `skiff top node|pod`: kubectl top, from the kubelets' Summary API rather than a metrics API
// (skiff serves no metrics.k8s.io yet; docs/decisions/0011-top-reads-kubelet-summary.md). Node
// rows show each node's share of its allocatable CPU and memory; pod rows their containers'
// usage summed, or each container with --containers.
import type { Node, Pod } from '@skiff/api';
import type { Connection } from '../kubectl/connection.js';
import { UsageError } from '../kubectl/errors.js';
import { TabWriter } from '../kubectl/printers/tabwriter.js';
import { verbCommand, type VerbContext } from '../kubectl/run-verb.js';
import {
  fetchSummary,
  nodeUsage,
  podUsages,
  type PodUsage,
} from '../kubectl/top/node-summaries.js';
import { nodeTable, podTable, type SortBy } from '../kubectl/top/top-table.js';

const usage = `Display resource (CPU/memory) usage of nodes or pods (kubectl top).

Usage:
  skiff top node [NAME | -l label] [flags]
  skiff top pod [NAME | -l label] [flags]

skiff reads each node's kubelet (/stats/summary on its InternalIP and kubelet port).

Options:
      --sort-by          cpu or memory (largest first)
      --no-headers       omit the header line
  -l, --selector         label selector
  -A, --all-namespaces   pods of every namespace
      --containers       a row per container (top pod)
      --sum              a total row (top pod)
      --show-capacity    percentages of capacity instead of allocatable (top node)
  -n, --namespace        the namespace (default: the context's)
      --kubeconfig, --context, --server, --token: which cluster, as kubectl
`;

const verb = {
  name: 'top',
  usage,
  options: {
    'sort-by': { type: 'string' },
    'no-headers': { type: 'boolean' },
    selector: { type: 'string', short: 'l' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    containers: { type: 'boolean' },
    sum: { type: 'boolean' },
    'show-capacity': { type: 'boolean' },
  },
} as const;

type Ctx = VerbContext<typeof verb.options>;

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

export const topCommand = verbCommand(verb, async (ctx) => {
  const [what, name, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError('error: top takes at most one name');
  const sortBy = ctx.flags['sort-by'];
  if (sortBy !== undefined && sortBy !== 'cpu' && sortBy !== 'memory')
    throw new UsageError(`error: --sort-by accepts only cpu or memory`);
  if (what === 'node' || what === 'nodes' || what === 'no') return topNodes(ctx, name, sortBy);
  if (what === 'pod' || what === 'pods' || what === 'po') return topPods(ctx, name, sortBy);
  throw new UsageError(`error: unknown command "${what ?? ''}" for "skiff top"\n\n${usage}`);
});

async function nodesOf(conn: Connection, name: string | undefined, selector?: string) {
  const client = conn.resource<Node>(NODES, undefined);
  return name ? [await client.get(name)] : (await client.list({ labelSelector: selector })).items;
}

async function topNodes(ctx: Ctx, name: string | undefined, sortBy: SortBy): Promise<number> {
  const nodes = await nodesOf(ctx.conn, name, ctx.flags.selector);
  const rows = await Promise.all(
    nodes.map(async (node) => {
      const summary = await fetchSummary(node);
      return {
        name: node.metadata.name ?? '',
        usage: summary && nodeUsage(summary),
        available:
          (ctx.flags['show-capacity'] ? node.status?.capacity : node.status?.allocatable) ?? {},
      };
    }),
  );
  if (rows.every((r) => r.usage === undefined))
    throw new UsageError('error: metrics not available yet');
  ctx.out.write(new TabWriter().align(nodeTable(rows, sortBy, ctx.flags['no-headers'] !== true)));
  return 0;
}

async function topPods(ctx: Ctx, name: string | undefined, sortBy: SortBy): Promise<number> {
  const all = ctx.flags['all-namespaces'] === true;
  const namespace = all ? undefined : ctx.conn.namespace;
  const podClient = ctx.conn.resource<Pod>(PODS, namespace);
  // The pods the user asked for (name, selector, namespace) decide which figures are shown.
  const wanted = name
    ? [await podClient.get(name)]
    : (await podClient.list({ labelSelector: ctx.flags.selector })).items;
  const uids = new Set(wanted.map((p) => p.metadata.uid));
  const nodeNames = new Set(wanted.map((p) => p.spec.nodeName).filter(Boolean));
  const nodes = (await nodesOf(ctx.conn, undefined)).filter((n) => nodeNames.has(n.metadata.name));
  const summaries = await Promise.all(nodes.map((n) => fetchSummary(n)));
  const pods: PodUsage[] = summaries
    .flatMap((s) => (s ? podUsages(s) : []))
    .filter((p) => uids.has(p.uid));
  if (pods.length === 0) {
    if (name) throw new UsageError(`error: metrics not available yet`);
    ctx.err.write(
      all ? 'No resources found\n' : `No resources found in ${ctx.conn.namespace} namespace.\n`,
    );
    return 0;
  }
  const text = podTable(pods, {
    withNamespace: all,
    containers: ctx.flags.containers === true,
    headers: ctx.flags['no-headers'] !== true,
    sortBy,
    sum: ctx.flags.sum === true,
  });
  ctx.out.write(new TabWriter().align(text));
  return 0;
}
