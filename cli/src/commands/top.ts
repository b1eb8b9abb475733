// `skiff top node|pod`: kubectl top. Usage comes from metrics.k8s.io, which skiff's apiserver
// serves from the kubelets' Summary API (decision 0014); node rows show each node's share of its
// allocatable (or capacity) CPU and memory, pod rows their containers' usage summed, or each
// container with --containers.
import type { Node, Pod } from '@skiff/api';
import { UsageError } from '../kubectl/errors.js';
import { TabWriter } from '../kubectl/printers/tabwriter.js';
import { verbCommand, type VerbContext } from '../kubectl/run-verb.js';
import { nodeMetrics, podMetrics, requireMetricsApi } from '../kubectl/top/metrics.js';
import { nodeTable, podTable, type SortBy } from '../kubectl/top/top-table.js';

const usage = `Display resource (CPU/memory) usage of nodes or pods (kubectl top).

Usage:
  skiff top node [NAME | -l label] [flags]
  skiff top pod [NAME | -l label] [flags]

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
  const run =
    what === 'node' || what === 'nodes' || what === 'no'
      ? topNodes
      : what === 'pod' || what === 'pods' || what === 'po'
        ? topPods
        : undefined;
  if (!run)
    throw new UsageError(`error: unknown command "${what ?? ''}" for "skiff top"\n\n${usage}`);
  await requireMetricsApi(ctx.conn);
  return run(ctx, name, sortBy);
});

async function topNodes(ctx: Ctx, name: string | undefined, sortBy: SortBy): Promise<number> {
  const metrics = await nodeMetrics(ctx.conn, name, ctx.flags.selector);
  if (metrics.size === 0) throw new UsageError('error: metrics not available yet');
  const client = ctx.conn.resource<Node>(NODES, undefined);
  const nodes = name
    ? [await client.get(name)]
    : (await client.list({ labelSelector: ctx.flags.selector })).items;
  const rows = nodes.map((node) => ({
    name: node.metadata.name ?? '',
    usage: metrics.get(node.metadata.name ?? ''),
    available:
      (ctx.flags['show-capacity'] ? node.status?.capacity : node.status?.allocatable) ?? {},
  }));
  ctx.out.write(new TabWriter().align(nodeTable(rows, sortBy, ctx.flags['no-headers'] !== true)));
  return 0;
}

async function topPods(ctx: Ctx, name: string | undefined, sortBy: SortBy): Promise<number> {
  const all = ctx.flags['all-namespaces'] === true;
  const namespace = all ? undefined : ctx.conn.namespace;
  const pods = await podMetrics(ctx.conn, namespace, name, ctx.flags.selector);
  if (pods.length === 0) {
    // kubectl's verifyEmptyMetrics: pods that exist without figures are "not available yet".
    const client = ctx.conn.resource<Pod>(PODS, namespace);
    const exist = name
      ? [await client.get(name)]
      : (await client.list({ labelSelector: ctx.flags.selector })).items;
    if (exist.length > 0) throw new UsageError('error: metrics not available yet');
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
