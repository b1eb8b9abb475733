// Where a manifest's object goes: its resource (apiVersion + kind through the RESTMapper, so a
// CRD's kinds work once served) and its namespace — the object's own, else -n, else the
// context's — refusing an object whose namespace contradicts an explicit -n, as kubectl does.
import {
  NoMatchError,
  type ResourceClient,
  type ResourceMapping,
  type Unstructured,
} from '@skiff/client';
import type { Connection } from './connection.js';
import { UsageError } from './errors.js';
import type { Manifest } from './manifests.js';

export interface ManifestTarget {
  readonly mapping: ResourceMapping;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly client: ResourceClient<Unstructured>;
}

export async function manifestTarget(
  conn: Connection,
  manifest: Manifest,
  explicitNamespace: string | undefined,
): Promise<ManifestTarget> {
  const { object, source } = manifest;
  const name = object.metadata?.name ?? '';
  let mapping: ResourceMapping;
  try {
    mapping = (await conn.mapper()).kindFor(object.apiVersion ?? '', object.kind ?? '');
  } catch (err) {
    if (!(err instanceof NoMatchError)) throw err;
    throw new UsageError(
      `error: resource mapping not found for name: "${name}" namespace: "${object.metadata?.namespace ?? ''}" from "${source}": ${err.message}\nensure CRDs are installed first`,
    );
  }
  const own = object.metadata?.namespace;
  if (mapping.namespaced && own && explicitNamespace && own !== explicitNamespace) {
    throw new UsageError(
      `error: the namespace from the provided object "${own}" does not match the namespace "${explicitNamespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  const namespace = mapping.namespaced ? own || conn.namespace : undefined;
  return { mapping, namespace, name, client: conn.resource(mapping, namespace) };
}
