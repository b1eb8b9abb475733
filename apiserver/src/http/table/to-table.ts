// Content negotiation for meta/v1 Tables and the conversion itself. kubectl asks with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io, …, application/json` and prints the
// rows it gets back; the object in each row (metadata only by default) lets it sort and show
// namespaces.
import { builtinKinds, type KindInfo, type Table, type TableRow } from '@skiff/api';
import type { ApiObject } from '../../registry/api-object.js';
import { columnsFor } from './columns.js';
import { customColumns } from './custom-columns.js';

export interface TableOptions {
  readonly apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  readonly includeObject: 'None' | 'Metadata' | 'Object';
  /** Watches send the column definitions only with the first event. */
  readonly withColumns: boolean;
}

/** The Table the Accept header asks for, if any. */
export function tableRequest(
  accept: string | undefined,
  query: URLSearchParams,
): TableOptions | undefined {
  if (!accept) return undefined;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    if (type !== 'application/json') continue;
    const p: Record<string, string> = Object.fromEntries(
      params.map((kv): [string, string] => {
        const [key = '', value = ''] = kv.split('=').map((x) => x.trim());
        return [key, value];
      }),
    );
    if (p.as !== 'Table' || p.g !== 'meta.k8s.io') continue;
    if (p.v !== 'v1' && p.v !== 'v1beta1') continue;
    const include = query.get('includeObject');
    return {
      apiVersion: p.v === 'v1' ? 'meta.k8s.io/v1' : 'meta.k8s.io/v1beta1',
      includeObject: include === 'None' || include === 'Object' ? include : 'Metadata',
      withColumns: true,
    };
  }
  return undefined;
}

function rowObject(obj: ApiObject, options: TableOptions): unknown {
  if (options.includeObject === 'Object') return obj;
  if (options.includeObject === 'None') return undefined;
  return { kind: 'PartialObjectMetadata', apiVersion: options.apiVersion, metadata: obj.metadata };
}

export function toTable(
  body: { metadata: object } & Record<string, unknown>,
  kind: KindInfo,
  now: number,
  options: TableOptions,
): Table {
  const items = Array.isArray(body.items) ? (body.items as ApiObject[]) : [body as ApiObject];
  // Custom resources get their CRD's printer columns (./custom-columns.ts), never a built-in's,
  // even when their kind shares a built-in's name.
  const columns = customColumns(kind) ?? columnsFor(builtinKinds.includes(kind) ? kind.kind : '');
  const rows = items.map((item): TableRow => {
    const row: TableRow = { cells: columns.map((c) => c.cell(item, now)) };
    const object = rowObject(item, options);
    if (object !== undefined) row.object = object;
    return row;
  });
  const listMeta = body.metadata as { resourceVersion?: string; continue?: string };
  return {
    kind: 'Table',
    apiVersion: options.apiVersion as 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: listMeta.resourceVersion,
      ...(listMeta.continue ? { continue: listMeta.continue } : {}),
    },
    columnDefinitions: options.withColumns ? columns.map((c) => c.definition) : [],
    rows,
  };
}
