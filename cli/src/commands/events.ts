// `skiff events`: kubectl events. The namespace's events (or every namespace's), optionally only
// those about one object (--for TYPE/NAME) or of some types (--types Warning), oldest last seen
// first; -w then prints each new event as it arrives, until Ctrl-C.
import { errorMessage, type Event } from '@skiff/api';
import { StreamWatch, resourcePath } from '@skiff/client';
import type { Connection } from '../kubectl/connection.js';
import { UsageError } from '../kubectl/errors.js';
import { byLastSeen, eventRows } from '../kubectl/event-rows.js';
import { TabWriter } from '../kubectl/printers/tabwriter.js';
import { parseOutputFormat } from '../kubectl/printers/output-format.js';
import { typedEventList } from '../kubectl/printers/typed-event.js';
import { jsonText, yamlText } from '../kubectl/printers/yaml-text.js';
import { verbCommand } from '../kubectl/run-verb.js';

const usage = `List events (kubectl events).

Usage:
  skiff events [-o json|yaml] [--for TYPE/NAME] [--types Normal,Warning] [-w] [-A]

Examples:
  skiff events
  skiff events -A --types Warning
  skiff events --for pod/web-6d8f7-abcde -w

Options:
      --for              only the events about this object (TYPE/NAME)
      --types            only events of these types (Normal, Warning; comma-separated)
  -w, --watch            after listing, print new events as they come
  -A, --all-namespaces   every namespace's events
      --no-headers       omit the header line
  -o, --output           json|yaml
  -n, --namespace        the namespace (default: the context's)
      --kubeconfig, --context, --server, --token: which cluster, as kubectl
`;

const verb = {
  name: 'events',
  usage,
  options: {
    for: { type: 'string' },
    types: { type: 'string', multiple: true },
    watch: { type: 'boolean', short: 'w' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    'no-headers': { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  },
} as const;

const EVENTS = { group: '', version: 'v1', resource: 'events' };

export const eventsCommand = verbCommand(verb, async (ctx) => {
  const { flags, conn } = ctx;
  const all = flags['all-namespaces'] === true;
  const format = parseOutputFormat(flags.output);
  const fieldSelector = flags.for === undefined ? undefined : await forSelector(conn, flags.for);
  const types = [...new Set((flags.types ?? []).flatMap((t) => t.split(',')))].sort();
  if (types.some((t) => !['normal', 'warning'].includes(t.toLowerCase())))
    throw new Error('valid --types are Normal or Warning');
  const wanted = (e: Event) =>
    types.length === 0 || types.some((t) => t.toLowerCase() === (e.type ?? '').toLowerCase());
  const namespace = all ? undefined : conn.namespace;
  const rows = { allNamespaces: all, headers: flags['no-headers'] !== true };

  if (flags.watch) {
    await watchEvents(conn, { namespace, fieldSelector, wanted, rows, out: ctx.out });
    return 0;
  }
  const list = await conn.resource<Event>(EVENTS, namespace).list({ fieldSelector });
  const events = byLastSeen(list.items.filter(wanted));
  if (events.length === 0) {
    ctx.err.write(all ? 'No events found.\n' : `No events found in ${conn.namespace} namespace.\n`);
    return 0;
  }
  if (format.kind === 'human') {
    // kubectl's tabwriter remembers widths across a message's line breaks, as get's does.
    ctx.out.write(new TabWriter().align(eventRows(events, rows, Date.now())));
  } else if (format.kind === 'json') {
    ctx.out.write(jsonText(typedEventList(events), false));
  } else if (format.kind === 'yaml') {
    ctx.out.write(yamlText(typedEventList(events)));
  } else {
    throw new UsageError(
      `error: skiff events prints tables, json or yaml, not ${flags.output ?? ''}`,
    );
  }
  return 0;
});

/** `involvedObject.kind=Pod,involvedObject.name=web` from `pod/web`, resolved by discovery. */
async function forSelector(conn: Connection, target: string): Promise<string> {
  if (!target.includes('/')) throw new UsageError('error: --for must be in resource/name form');
  const parts = target.split('/');
  if (parts.length !== 2)
    throw new UsageError('error: arguments in resource/name form may not have more than one slash');
  const [type = '', name = ''] = parts;
  const mapper = await conn.mapper();
  let mapping;
  try {
    mapping = mapper.resourceFor(type);
  } catch (err) {
    // kubectl prints a resource type it cannot map without its `error: ` prefix here.
    throw new UsageError(errorMessage(err).replace(/^error: /, ''));
  }
  const apiVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
  return `involvedObject.kind=${mapping.kind},involvedObject.apiVersion=${apiVersion},involvedObject.name=${name}`;
}

export interface WatchEventsOptions {
  readonly namespace: string | undefined;
  readonly fieldSelector: string | undefined;
  readonly wanted: (e: Event) => boolean;
  readonly rows: { readonly allNamespaces: boolean; readonly headers: boolean };
  readonly out: NodeJS.WritableStream;
  /** Ends the watch (Ctrl-C does too). */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/**
 * kubectl events -w: a watch from now, which the server opens with the events that exist; each
 * event printed and aligned on its own as it arrives (the header with the first), deletions
 * (events expire) not printed.
 */
export async function watchEvents(conn: Connection, options: WatchEventsOptions): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  options.signal?.addEventListener('abort', onSignal);
  const path = resourcePath(EVENTS, { namespace: options.namespace });
  const query = new URLSearchParams({ watch: 'true' });
  if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
  const now = options.now ?? Date.now;
  let headers = options.rows.headers;
  // kubectl's tabwriter remembers its widths: a row never narrows a column an earlier one widened.
  const writer = new TabWriter();
  try {
    const stream = await conn.rest.stream({ method: 'GET', path, query, signal: stop.signal });
    const watch = new StreamWatch<Event>(stream, `GET ${path}`, stop.signal);
    try {
      for await (const event of watch) {
        if (event.type !== 'ADDED' && event.type !== 'MODIFIED') continue;
        if (!options.wanted(event.object)) continue;
        const text = eventRows([event.object], { ...options.rows, headers }, now());
        headers = false;
        options.out.write(writer.align(text));
      }
    } finally {
      watch.stop();
    }
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  } finally {
    process.off('SIGINT', onSignal);
    options.signal?.removeEventListener('abort', onSignal);
  }
}
