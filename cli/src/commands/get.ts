// `skiff get`: kubectl get. Human output is the server's Table (columns, ages, priorities for
// -o wide); -o json|yaml|name|jsonpath|custom-columns print the objects themselves. Names that
// are not found are reported and the rest still print; the exit code is then 1, as kubectl's.
import type { Table } from '@skiff/api';
import type { ResourceMapping, Unstructured } from '@skiff/client';
import { isNotFound } from '@skiff/client';
import type { Connection } from '../kubectl/connection.js';
import { kubectlErrorText } from '../kubectl/errors.js';
import { objectsText } from '../kubectl/printers/objects.js';
import { parseOutputFormat, type OutputFormat } from '../kubectl/printers/output-format.js';
import { tableText } from '../kubectl/printers/table.js';
import { alignColumns, TabWriter } from '../kubectl/printers/tabwriter.js';
import { kindPrefix, resolveResourceArgs, type ResourceRequest } from '../kubectl/resource-args.js';
import { verbCommand, type VerbContext } from '../kubectl/run-verb.js';
import { sortBy } from '../kubectl/sort-by.js';
import { fetchTable } from '../kubectl/tables.js';
import { watchTableRows } from '../kubectl/watch-rows.js';

const usage = `Display one or many resources (kubectl get).

Usage:
  skiff get TYPE[.VERSION][.GROUP] [NAME ...] [flags]
  skiff get TYPE/NAME ... [flags]

Examples:
  skiff get pods -o wide
  skiff get deployments.apps web -o yaml
  skiff get cm,secrets -l app=web
  skiff get pods -A --sort-by=.metadata.name
  skiff get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}'

Options:
  -o, --output           json|yaml|wide|name|jsonpath=…|custom-columns=…
  -l, --selector         label selector (e.g. -l app=web,tier!=db)
      --field-selector   field selector (e.g. --field-selector status.phase=Running)
  -A, --all-namespaces   list across all namespaces
  -w, --watch            after listing, watch for changes
      --watch-only       watch without listing first
      --show-labels      add a LABELS column
  -L, --label-columns    a column per label key (repeatable)
      --sort-by          a JSONPath field to sort by (e.g. .metadata.name)
      --no-headers       omit the header line
      --show-kind        prefix names with their kind
      --ignore-not-found a missing name is not an error
      --show-managed-fields  keep metadata.managedFields in json and yaml
  -n, --namespace        the namespace (default: the context's)
      --kubeconfig, --context, --server, --token: which cluster, as kubectl
`;

const verb = {
  name: 'get',
  usage,
  options: {
    output: { type: 'string', short: 'o' },
    selector: { type: 'string', short: 'l' },
    'field-selector': { type: 'string' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    watch: { type: 'boolean', short: 'w' },
    'watch-only': { type: 'boolean' },
    'show-labels': { type: 'boolean' },
    'label-columns': { type: 'string', short: 'L', multiple: true },
    'sort-by': { type: 'string' },
    'no-headers': { type: 'boolean' },
    'show-kind': { type: 'boolean' },
    'ignore-not-found': { type: 'boolean' },
    'show-managed-fields': { type: 'boolean' },
  },
} as const;

type Ctx = VerbContext<typeof verb.options>;

export const getCommand = verbCommand(verb, async (ctx) => {
  const { flags, conn } = ctx;
  const format = parseOutputFormat(flags.output);
  const requests = resolveResourceArgs(ctx.args, await conn.mapper(), 'get');
  const allNamespaces = flags['all-namespaces'] === true;
  const namespace = allNamespaces ? undefined : conn.namespace;
  const failures: string[] = [];
  const notFound = (err: unknown): undefined => {
    if (isNotFound(err) && flags['ignore-not-found']) return undefined;
    failures.push(kubectlErrorText(err));
    return undefined;
  };

  if (format.kind === 'human') {
    const writer = new TabWriter();
    let listed: { rows: number; resourceVersion?: string } = { rows: 0 };
    if (!flags['watch-only']) {
      listed = await printTables(ctx, requests, format, namespace, notFound, writer);
      const shown = listed.rows;
      if (shown === 0 && failures.length === 0)
        ctx.err.write(noResources(requests, namespace, allNamespaces));
    }
    for (const f of failures) ctx.err.write(f);
    if (flags.watch || flags['watch-only']) {
      const [only] = requests;
      if (requests.length !== 1 || !only)
        throw new Error('you may only specify a single resource type');
      await watchTableRows(conn, only.mapping, {
        namespace,
        name: only.names[0],
        labelSelector: flags.selector,
        fieldSelector: flags['field-selector'],
        withNamespace: allNamespaces && only.mapping.namespaced,
        wide: format.wide,
        headers: flags['watch-only'] === true && !flags['no-headers'],
        resourceVersion: listed.resourceVersion,
        writer,
        out: ctx.out,
      });
    }
    return failures.length > 0 ? 1 : 0;
  }

  let objects: Unstructured[] = [];
  for (const request of requests)
    objects.push(...(await fetchObjects(ctx, request, namespace, notFound)));
  if (flags['sort-by']) objects = sortBy(objects, flags['sort-by'], (o) => o);
  if (!flags['show-managed-fields']) objects = objects.map(withoutManagedFields);
  const single = requests.length === 1 && requests[0]?.names.length === 1;
  if (objects.length > 0 || format.kind !== 'name') {
    if (!(objects.length === 0 && single)) ctx.out.write(objectsText(objects, format, single));
  }
  for (const f of failures) ctx.err.write(f);
  return failures.length > 0 ? 1 : 0;
});

async function printTables(
  ctx: Ctx,
  requests: readonly ResourceRequest[],
  format: Extract<OutputFormat, { kind: 'human' }>,
  namespace: string | undefined,
  onError: (err: unknown) => undefined,
  writer: TabWriter,
): Promise<{ rows: number; resourceVersion?: string }> {
  const { flags, conn } = ctx;
  const withKind = requests.length > 1 || flags['show-kind'] === true;
  let text = '';
  let rows = 0;
  let resourceVersion: string | undefined;
  for (const request of requests) {
    const table = await tableFor(conn, request, namespace, flags, onError);
    resourceVersion = table?.metadata.resourceVersion;
    if (!table || table.rows.length === 0) continue;
    if (flags['sort-by']) table.rows = sortBy(table.rows, flags['sort-by'], (r) => r.object);
    if (text) text += '\n';
    text += tableText(table, {
      wide: format.wide,
      withNamespace: namespace === undefined && request.mapping.namespaced,
      showLabels: flags['show-labels'],
      noHeaders: flags['no-headers'],
      labelColumns: (flags['label-columns'] ?? []).flatMap((l) => l.split(',')),
      kindPrefix: withKind ? kindPrefix(request.mapping) : undefined,
    });
    rows += table.rows.length;
  }
  // One table: its widths are remembered for -w's rows. Several align each on its own.
  ctx.out.write(requests.length === 1 ? writer.align(text) : alignColumns(text));
  return { rows, resourceVersion };
}

/** One Table for the request: the list's, or the named objects' rows under one header. */
async function tableFor(
  conn: Connection,
  request: ResourceRequest,
  namespace: string | undefined,
  flags: Ctx['flags'],
  onError: (err: unknown) => undefined,
): Promise<Table | undefined> {
  const query = {
    namespace,
    labelSelector: flags.selector,
    fieldSelector: flags['field-selector'],
    includeObject: flags['sort-by'] ? ('Object' as const) : undefined,
  };
  if (request.names.length === 0) return fetchTable(conn, request.mapping, query);
  let merged: Table | undefined;
  for (const name of request.names) {
    const table = await fetchTable(conn, request.mapping, { ...query, name }).catch(onError);
    if (!table) continue;
    if (merged) merged.rows.push(...table.rows);
    else merged = table;
  }
  return merged;
}

async function fetchObjects(
  ctx: Ctx,
  request: ResourceRequest,
  namespace: string | undefined,
  onError: (err: unknown) => undefined,
): Promise<Unstructured[]> {
  const { mapping, names } = request;
  const client = ctx.conn.resource(mapping, mapping.namespaced ? namespace : undefined);
  const typeMeta = { apiVersion: apiVersionOf(mapping), kind: mapping.kind };
  if (names.length === 0) {
    const list = await client.list({
      labelSelector: ctx.flags.selector,
      fieldSelector: ctx.flags['field-selector'],
    });
    // Items in a list carry no apiVersion and kind on the wire; kubectl prints them with both.
    return list.items.map((item) => ({ ...typeMeta, ...item }));
  }
  const found: Unstructured[] = [];
  for (const name of names) {
    const obj = await client.get(name).catch(onError);
    if (obj) found.push(obj);
  }
  return found;
}

function apiVersionOf(m: ResourceMapping): string {
  return m.group ? `${m.group}/${m.version}` : m.version;
}

function noResources(
  requests: readonly ResourceRequest[],
  ns: string | undefined,
  all: boolean,
): string {
  const namespaced = requests.some((r) => r.mapping.namespaced);
  return namespaced && !all && ns !== undefined
    ? `No resources found in ${ns} namespace.\n`
    : 'No resources found\n';
}

/** kubectl hides managedFields unless --show-managed-fields: they are for the server. */
function withoutManagedFields(obj: Unstructured): Unstructured {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _hidden, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
