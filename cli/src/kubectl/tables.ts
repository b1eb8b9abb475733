// Asking the server for its Tables, as kubectl get does: the same URL as a list or a get, with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io, …, application/json`. A server that
// does not serve Tables answers the plain object; kubectl then prints NAME and AGE itself.
import type { Table, TableRow } from '@skiff/api';
import { resourcePath, type ResourceMapping } from '@skiff/client';
import type { Connection } from './connection.js';

export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export interface TableQuery {
  readonly namespace?: string;
  readonly name?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** `Object` when rows must carry whole objects (--sort-by). */
  readonly includeObject?: 'Metadata' | 'Object';
  readonly watch?: boolean;
  readonly resourceVersion?: string;
}

export function tablePath(
  mapping: ResourceMapping,
  q: TableQuery,
): { path: string; query: URLSearchParams } {
  const path = resourcePath(mapping, {
    namespace: mapping.namespaced ? q.namespace : undefined,
    name: q.name,
  });
  const query = new URLSearchParams();
  if (q.labelSelector) query.set('labelSelector', q.labelSelector);
  if (q.fieldSelector) query.set('fieldSelector', q.fieldSelector);
  if (q.includeObject) query.set('includeObject', q.includeObject);
  if (q.watch) query.set('watch', 'true');
  if (q.resourceVersion) query.set('resourceVersion', q.resourceVersion);
  return { path, query };
}

export async function fetchTable(
  conn: Connection,
  mapping: ResourceMapping,
  q: TableQuery,
): Promise<Table> {
  const answer = await conn.rest.json<Partial<Table> & { items?: unknown[]; metadata?: object }>({
    method: 'GET',
    ...tablePath(mapping, q),
    accept: TABLE_ACCEPT,
  });
  if (answer.kind === 'Table') return answer as Table;
  // Not a Table: the object or list itself. Name and age, as kubectl's default printer.
  const objects = q.name === undefined ? (answer.items ?? []) : [answer];
  return {
    metadata: {},
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
      { name: 'Created At', type: 'date', format: '', description: '', priority: 0 },
    ],
    rows: objects.map((o): TableRow => {
      const meta = (o as { metadata?: { name?: string; creationTimestamp?: string } }).metadata;
      return { cells: [meta?.name ?? '', meta?.creationTimestamp ?? ''], object: o };
    }),
  };
}
