// `skiff describe`: kubectl describe. Each object is described by its kind's describer (pods,
// nodes, namespaces, services, endpoints, replicasets, deployments as kubectl's own describers
// print them; any other kind, events among them, field by field) and ends with its events.
// Several objects are separated by a blank line; `TYPE PREFIX` describes every object whose name
// starts with PREFIX when none is named exactly that, as kubectl does.
import { isNotFound, type ResourceMapping } from '@skiff/client';
import type { DescribeContext } from '../kubectl/describe/context.js';
import { describerFor } from '../kubectl/describe/describers.js';
import { kubectlErrorText } from '../kubectl/errors.js';
import { resolveResourceArgs } from '../kubectl/resource-args.js';
import { verbCommand } from '../kubectl/run-verb.js';

const usage = `Show details of a specific resource or group of resources (kubectl describe).

Usage:
  skiff describe (TYPE [NAME_PREFIX] | TYPE/NAME) [flags]

Examples:
  skiff describe pod web-7d4b9c
  skiff describe deployments.apps web
  skiff describe nodes
  skiff describe pods -l app=web

Options:
  -l, --selector         label selector (e.g. -l app=web)
  -A, --all-namespaces   describe across all namespaces
      --show-events      also show the object's events (default true; --show-events=false)
  -n, --namespace        the namespace (default: the context's)
      --kubeconfig, --context, --server, --token: which cluster, as kubectl
`;

const verb = {
  name: 'describe',
  usage,
  options: {
    selector: { type: 'string', short: 'l' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    'show-events': { type: 'string' },
  },
} as const;

interface Target {
  readonly mapping: ResourceMapping;
  readonly namespace: string;
  readonly name: string;
}

export const describeCommand = verbCommand(verb, async (ctx) => {
  const { flags, conn, args } = ctx;
  if (args.length === 0) {
    throw new Error(
      'You must specify the type of resource to describe. Use "skiff api-resources" for a complete list of supported resources.',
    );
  }
  const all = flags['all-namespaces'] === true;
  const dctx: DescribeContext = {
    conn,
    now: Date.now(),
    showEvents: flags['show-events'] !== 'false',
  };
  const requests = resolveResourceArgs(args, await conn.mapper(), 'describe');
  const errors: unknown[] = [];
  const targets: Target[] = [];
  for (const { mapping, names } of requests) {
    const namespace = mapping.namespaced ? conn.namespace : '';
    if (names.length > 0) {
      targets.push(...names.map((name) => ({ mapping, namespace, name })));
      continue;
    }
    const list = await conn
      .resource(mapping, mapping.namespaced && !all ? conn.namespace : undefined)
      .list({ labelSelector: flags.selector });
    for (const item of list.items) {
      targets.push({
        mapping,
        namespace: item.metadata?.namespace ?? '',
        name: item.metadata?.name ?? '',
      });
    }
  }

  let first = true;
  for (const target of targets) {
    try {
      const text = await describerFor(target.mapping)(dctx, target.namespace, target.name);
      ctx.out.write(first ? text : `\n\n${text}`);
      first = false;
    } catch (err) {
      const [onlyType, prefix] = args;
      if (isNotFound(err) && args.length === 2 && onlyType !== undefined && prefix !== undefined) {
        if (await describeByPrefix(dctx, target, prefix, ctx.out)) continue;
      }
      errors.push(err);
    }
  }
  if (targets.length === 0 && errors.length === 0) {
    ctx.err.write(
      all ? 'No resources found\n' : `No resources found in ${conn.namespace} namespace.\n`,
    );
  }
  for (const err of errors) ctx.err.write(kubectlErrorText(err));
  return errors.length > 0 ? 1 : 0;
});

/** kubectl's DescribeMatchingResources: each object of the type whose name starts with prefix. */
async function describeByPrefix(
  dctx: DescribeContext,
  target: Target,
  prefix: string,
  out: NodeJS.WritableStream,
): Promise<boolean> {
  const { mapping, namespace } = target;
  const list = await dctx.conn.resource(mapping, namespace || undefined).list();
  const matching = list.items.filter((o) => (o.metadata?.name ?? '').startsWith(prefix));
  for (const o of matching) {
    out.write(`${await describerFor(mapping)(dctx, namespace, o.metadata?.name ?? '')}\n`);
  }
  return matching.length > 0;
}
