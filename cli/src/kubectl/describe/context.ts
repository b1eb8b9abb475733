// What every describer gets: the cluster, the moment ages are measured from, and whether to
// search the object's events (kubectl's --show-events, on by default).
import type { KubeObject } from '@skiff/client';
import type { Connection } from '../connection.js';

export interface DescribeContext {
  readonly conn: Connection;
  readonly now: number;
  readonly showEvents: boolean;
}

/** Describes the named object of one kind; rejects with the server's error (e.g. NotFound). */
export type Describer = (ctx: DescribeContext, namespace: string, name: string) => Promise<string>;

export const core = (resource: string) => ({ group: '', version: 'v1', resource });
export const apps = (resource: string) => ({ group: 'apps', version: 'v1', resource });

/** The typed client of a built-in resource in `namespace` ('' for cluster scope). */
export function typed<T extends KubeObject>(
  ctx: DescribeContext,
  gvr: { group: string; version: string; resource: string },
  namespace: string,
) {
  return ctx.conn.resource<T>(gvr, namespace || undefined);
}
