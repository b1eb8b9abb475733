// Reference solution. One request per *source* ConfigMap (`<source namespace>/<name>`): whatever
// changed — the source, a copy, a namespace — the reconcile looks at the source and every
// namespace as they are now, and makes each copy exist, match, or go away.
import type { ConfigMap } from '@skiff/api';
import {
  clone,
  controllerFor,
  isAlreadyExists,
  isNotFound,
  type Client,
  type Manager,
  type Request,
  type Result,
} from '@skiff/client';
import { REPLICA_OF_LABEL, REPLICATE_LABEL, type ReplicatorOptions } from '../contract.js';

export function addReplicator(manager: Manager, options: ReplicatorOptions): void {
  const { sourceNamespace } = options;
  const client = manager.client;
  const configMaps = manager.informers.core.v1.configMaps().lister();
  const namespaces = manager.informers.core.v1.namespaces().lister();

  const isSource = (cm: Readonly<ConfigMap>): boolean =>
    cm.metadata.namespace === sourceNamespace && cm.metadata.labels?.[REPLICATE_LABEL] === 'true';
  /** Every source ConfigMap: what a new namespace must receive. */
  const allSources = (): Request[] =>
    configMaps
      .namespace(sourceNamespace)
      .list()
      .filter(isSource)
      .map((cm) => ({ namespace: sourceNamespace, name: cm.metadata.name ?? '' }));

  controllerFor(manager)
    .named('configmap-replicator')
    .watches('configMaps', (cm): Request[] => {
      const name = cm.metadata.name ?? '';
      // A source (or a former source: unlabelled or deleted, its copies must go).
      if (cm.metadata.namespace === sourceNamespace) return [{ namespace: sourceNamespace, name }];
      // A copy, edited or deleted by hand: its source puts it right.
      if (cm.metadata.labels?.[REPLICA_OF_LABEL] === sourceNamespace) {
        return [{ namespace: sourceNamespace, name }];
      }
      return [];
    })
    .watches('namespaces', () => allSources())
    .complete(async ({ name }: Request): Promise<Result> => {
      const source = configMaps.get(sourceNamespace, name);
      const wanted = source && isSource(source) ? source : undefined;
      for (const ns of namespaces.list()) {
        const namespace = ns.metadata.name ?? '';
        if (namespace === sourceNamespace) continue;
        const copy = configMaps.get(namespace, name);
        if (wanted && ns.status?.phase !== 'Terminating') {
          await ensureCopy(client, wanted, namespace, copy, sourceNamespace);
        } else if (copy && copy.metadata.labels?.[REPLICA_OF_LABEL] === sourceNamespace) {
          await deleteCopy(client, namespace, name);
        }
      }
      return {};
    });
}

async function ensureCopy(
  client: Client,
  source: Readonly<ConfigMap>,
  namespace: string,
  copy: Readonly<ConfigMap> | undefined,
  sourceNamespace: string,
): Promise<void> {
  const name = source.metadata.name ?? '';
  if (!copy) {
    try {
      await client.configMaps(namespace).create({
        metadata: { name, namespace, labels: { [REPLICA_OF_LABEL]: sourceNamespace } },
        data: { ...source.data },
      });
    } catch (err) {
      // The cache was behind; the next reconcile (the create's own event) compares contents.
      if (!isAlreadyExists(err)) throw err;
    }
    return;
  }
  // Someone else's ConfigMap that happens to share the name: never overwrite it.
  if (copy.metadata.labels?.[REPLICA_OF_LABEL] !== sourceNamespace) return;
  if (sameData(copy.data, source.data)) return;
  const updated = clone(copy);
  updated.data = { ...source.data };
  await client.configMaps(namespace).update(updated);
}

async function deleteCopy(client: Client, namespace: string, name: string): Promise<void> {
  try {
    await client.configMaps(namespace).delete(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string> | undefined) {
  const left = Object.entries(a ?? {});
  return left.length === Object.keys(b ?? {}).length && left.every(([k, v]) => b?.[k] === v);
}
