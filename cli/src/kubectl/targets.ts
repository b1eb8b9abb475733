// The objects a write verb (label, annotate, scale, patch, rollout …) acts on: `TYPE NAME…`,
// `TYPE/NAME…`, or `TYPE -l selector` / `TYPE --all` in the namespace, each with its client.
import type { ResourceClient, ResourceMapping, Unstructured } from '@skiff/client';
import type { Connection } from './connection.js';
import { UsageError } from './errors.js';
import { resolveResourceArgs } from './resource-args.js';

export interface ObjectTarget {
  readonly mapping: ResourceMapping;
  readonly name: string;
  readonly client: ResourceClient<Unstructured>;
}

export async function objectTargets(
  conn: Connection,
  args: readonly string[],
  verb: string,
  select: { readonly selector?: string; readonly all?: boolean } = {},
): Promise<ObjectTarget[]> {
  const targets: ObjectTarget[] = [];
  for (const { mapping, names } of resolveResourceArgs(args, await conn.mapper(), verb)) {
    const client = conn.resource(mapping, mapping.namespaced ? conn.namespace : undefined);
    if (names.length > 0) {
      targets.push(...names.map((name) => ({ mapping, name, client })));
      continue;
    }
    if (!select.selector && !select.all) {
      throw new UsageError(`error: resource(s) were provided, but no name was specified`);
    }
    const list = await client.list({ labelSelector: select.selector });
    targets.push(...list.items.map((o) => ({ mapping, name: o.metadata?.name ?? '', client })));
  }
  return targets;
}
