// "Does the cache equal the server?" as one comparable value: every key with its
// resourceVersion, sorted. Equal resourceVersions mean equal objects.
import type { ConfigMap } from '@skiff/api';
import { ALL_NAMESPACES, type Client } from '../../rest/index.js';
import type { SharedIndexInformer } from '../shared-informer.js';
import { keyFor } from '../keys.js';

type Versions = [key: string, resourceVersion: string | undefined][];

export function cacheVersions(informer: SharedIndexInformer<ConfigMap>): Versions {
  return sorted(informer.indexer.list().map((obj) => [keyFor(obj), obj.metadata?.resourceVersion]));
}

export async function serverVersions(client: Client): Promise<Versions> {
  const list = await client.configMaps(ALL_NAMESPACES).listAll();
  return sorted(list.items.map((obj) => [keyFor(obj), obj.metadata?.resourceVersion]));
}

function sorted(versions: Versions): Versions {
  return versions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
