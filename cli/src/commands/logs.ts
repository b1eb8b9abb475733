// `skiff logs`: a container's log through the apiserver's pods/log (which the kubelet serves):
// -c, -f, --previous, --tail, --since, --timestamps, --limit-bytes; `TYPE/NAME` for a
// deployment, replicaset or service picks one of its pods as kubectl does; -l prints each
// matching pod's log (the last 10 lines unless --tail says otherwise).
import type { Pod } from '@skiff/api';
import { parseDuration } from '@skiff/api';
import { isNotFound, resourcePath, type ResourceClient } from '@skiff/client';
import type { Connection } from '../kubectl/connection.js';
import { UsageError } from '../kubectl/errors.js';
import { verbCommand } from '../kubectl/run-verb.js';
import type { VerbFlags } from '../kubectl/verb-flags.js';

const usage = `Print the logs for a container in a pod.

Usage:
  skiff logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [flags]
  skiff logs -l app=web [flags]

Options:
  -c, --container       the container (default: the pod's default container)
  -f, --follow          stream new lines until the container stops
  -p, --previous        the previous, terminated instance of the container
      --tail            the last N lines (-1: all; 10 with -l)
      --since           only lines newer than a duration, e.g. 5s, 2m, 3h
      --timestamps      prefix each line with its RFC3339 time
      --limit-bytes     at most this many bytes
  -l, --selector        every pod the label selector matches
      --prefix          prefix each line with pod/NAME/CONTAINER
`;

const verb = {
  name: 'logs',
  usage,
  options: {
    container: { type: 'string', short: 'c' },
    follow: { type: 'boolean', short: 'f' },
    previous: { type: 'boolean', short: 'p' },
    tail: { type: 'string' },
    since: { type: 'string' },
    timestamps: { type: 'boolean' },
    'limit-bytes': { type: 'string' },
    selector: { type: 'string', short: 'l' },
    prefix: { type: 'boolean' },
    'all-containers': { type: 'boolean' },
  },
} as const;

type Flags = VerbFlags<typeof verb.options>['values'];

export const logsCommand = verbCommand(verb, async ({ flags, args, conn, out, err }) => {
  const pods = await podsToRead(conn, args, flags.selector);
  for (const pod of pods) {
    const containers = containersToRead(pod, flags, err);
    for (const container of containers) {
      const prefix =
        flags.prefix || pods.length > 1 ? `[pod/${pod.metadata?.name ?? ''}/${container}] ` : '';
      await streamLog(conn, pod, container, logQuery(flags, container), prefix, out);
    }
  }
  return 0;
});

async function podsToRead(
  conn: Connection,
  args: readonly string[],
  selector: string | undefined,
): Promise<Pod[]> {
  const pods = conn.resource<Pod>({ group: '', version: 'v1', resource: 'pods' }, conn.namespace);
  if (selector) {
    if (args.length > 0)
      throw new UsageError('error: only a selector (-l) or a POD name is allowed');
    const list = await pods.list({ labelSelector: selector });
    if (list.items.length === 0)
      throw new UsageError(`No resources found in ${conn.namespace} namespace.`);
    return list.items;
  }
  const [arg] = args;
  if (!arg)
    throw new UsageError(
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'skiff logs -h' for help and examples",
    );
  const slash = arg.indexOf('/');
  if (slash < 0) return [await getPod(pods, arg, conn.namespace)];
  const mapping = (await conn.mapper()).resourceFor(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  if (mapping.kind === 'Pod') return [await getPod(pods, name, conn.namespace)];
  const owner = await conn.resource(mapping, conn.namespace).get(name);
  const spec = owner.spec as
    { selector?: { matchLabels?: Record<string, string> } | Record<string, string> } | undefined;
  const labels =
    mapping.kind === 'Service'
      ? (spec?.selector as Record<string, string> | undefined)
      : (spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!labels)
    throw new UsageError(
      `error: cannot get the logs from ${mapping.kind.toLowerCase()}: it selects no pods`,
    );
  const list = await pods.list({ labelSelector: labels });
  const first = [...list.items].sort((a, b) =>
    (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''),
  )[0];
  if (!first) throw new UsageError(`error: timed out waiting for the condition`);
  return [first];
}

/** kubectl words a missing pod its own way here. */
async function getPod(pods: ResourceClient<Pod>, name: string, namespace: string): Promise<Pod> {
  try {
    return await pods.get(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw new UsageError(
      `error: error from server (NotFound): pods "${name}" not found in namespace "${namespace}"`,
      { cause: err },
    );
  }
}

function containersToRead(pod: Pod, flags: Flags, err: NodeJS.WritableStream): string[] {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (flags.container) {
    const all = [...(pod.spec?.initContainers ?? []).map((c) => c.name), ...names];
    if (!all.includes(flags.container)) {
      throw new UsageError(
        `error: container ${flags.container} is not valid for pod ${pod.metadata?.name ?? ''}`,
      );
    }
    return [flags.container];
  }
  if (flags['all-containers'])
    return [...(pod.spec?.initContainers ?? []).map((c) => c.name), ...names];
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const chosen = annotated && names.includes(annotated) ? annotated : names[0];
  if (!chosen) throw new UsageError(`error: pod ${pod.metadata?.name ?? ''} has no containers`);
  if (names.length > 1 && !annotated)
    err.write(`Defaulted container "${chosen}" out of: ${names.join(', ')}\n`);
  return [chosen];
}

function logQuery(flags: Flags, container: string): URLSearchParams {
  const query = new URLSearchParams({ container });
  if (flags.follow) query.set('follow', 'true');
  if (flags.previous) query.set('previous', 'true');
  if (flags.timestamps) query.set('timestamps', 'true');
  const tail = flags.tail ?? (flags.selector ? '10' : undefined);
  if (tail !== undefined && tail !== '-1') query.set('tailLines', tail);
  if (flags['limit-bytes']) query.set('limitBytes', flags['limit-bytes']);
  if (flags.since)
    query.set('sinceSeconds', String(Math.max(1, Math.ceil(parseDuration(flags.since) / 1000))));
  return query;
}

async function streamLog(
  conn: Connection,
  pod: Pod,
  container: string,
  query: URLSearchParams,
  prefix: string,
  out: NodeJS.WritableStream,
): Promise<void> {
  const path = `${resourcePath({ group: '', version: 'v1', resource: 'pods' }, { namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? '' })}/log`;
  const stream = await conn.rest.stream({ method: 'GET', path, query, accept: '*/*' });
  let partial = '';
  try {
    for await (const chunk of stream.body) {
      const text = partial + Buffer.from(chunk).toString('utf8');
      if (!prefix) {
        out.write(text);
        continue;
      }
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      out.write(lines.map((l) => `${prefix}${l}\n`).join(''));
    }
    if (partial) out.write(`${prefix}${partial}`);
  } finally {
    stream.close();
  }
}
