// `get -w`: the list's watch asked for as Tables, one row printed per event as it arrives (the
// column definitions come with the first event only, so they are kept). Runs until the server
// ends the watch or the user presses Ctrl-C.
import type { Table } from '@skiff/api';
import { StreamWatch, type ResourceMapping } from '@skiff/client';
import type { Connection } from './connection.js';
import { tableText } from './printers/table.js';
import type { TabWriter } from './printers/tabwriter.js';
import { TABLE_ACCEPT, tablePath } from './tables.js';

export interface WatchRowsOptions {
  readonly namespace?: string;
  readonly name?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly withNamespace: boolean;
  readonly wide: boolean;
  /** Print the header before the first row (--watch-only); after a listing it is already out. */
  readonly headers: boolean;
  /** Events after this version: the listing's, so what it printed is not printed again. */
  readonly resourceVersion?: string;
  /** The listing's column widths, so rows line up under its header. */
  readonly writer: TabWriter;
  readonly out: NodeJS.WritableStream;
}

export async function watchTableRows(
  conn: Connection,
  mapping: ResourceMapping,
  options: WatchRowsOptions,
): Promise<void> {
  const { path, query } = tablePath(mapping, {
    namespace: options.namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.name ? `metadata.name=${options.name}` : options.fieldSelector,
    watch: true,
    resourceVersion: options.resourceVersion,
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  const stream = await conn.rest.stream({
    method: 'GET',
    path,
    query,
    accept: TABLE_ACCEPT,
    signal: stop.signal,
  });
  const watch = new StreamWatch<Table>(stream, `GET ${path}`, stop.signal);
  let columns: Table['columnDefinitions'] = [];
  let headers = options.headers;
  try {
    for await (const event of watch) {
      if (event.type === 'BOOKMARK' || event.type === 'ERROR') continue;
      const table = event.object;
      if (table.columnDefinitions.length > 0) columns = table.columnDefinitions;
      const text = tableText(
        { ...table, columnDefinitions: columns },
        { wide: options.wide, withNamespace: options.withNamespace, noHeaders: !headers },
      );
      headers = false;
      options.out.write(options.writer.align(text));
    }
  } finally {
    process.off('SIGINT', onSignal);
    watch.stop();
  }
}
