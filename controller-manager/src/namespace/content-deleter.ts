// Empties one namespace of one resource, as Kubernetes' deleteAllContentForGroupVersionResource
// does: a collection delete where the resource allows it (else a list and one delete per
// object), background propagation, then a fresh list to count what is still there and which
// finalizers hold it. Pods get an estimate of how long their graceful termination still takes,
// which is how long the controller waits before looking again.
import { isMethodNotSupported, isNotFound, type Pod } from '@skiff/api';
import type { Client, KubeObject } from '@skiff/client';
import type { DiscoveredResource } from './discovery.js';

/** Kubernetes' guess for content held by finalizers: look again in about this long. */
export const FINALIZER_ESTIMATE_SECONDS = 15;
/** A pod's grace period when its spec names none (the API default). */
const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

export interface ContentDeletion {
  /** Objects of this resource still in the namespace after the delete. */
  readonly remaining: number;
  /** finalizer → how many remaining objects carry it. */
  readonly finalizers: ReadonlyMap<string, number>;
  /** Seconds until what remains is expected to be gone. */
  readonly estimateSeconds: number;
}

export async function deleteContentOf(
  client: Pick<Client, 'resource'>,
  resource: DiscoveredResource,
  namespace: string,
  signal: AbortSignal,
): Promise<ContentDeletion> {
  const objects = client.resource<KubeObject>(resource, namespace);
  let estimateSeconds = 0;
  if (resource.group === '' && resource.resource === 'pods') {
    estimateSeconds = gracefulTerminationEstimate(
      (await objects.listAll({ signal })).items as Pod[],
    );
  }
  const options = { propagationPolicy: 'Background' as const, signal };
  let collectionDeleted = false;
  if (resource.verbs.includes('deletecollection')) {
    try {
      await objects.deleteCollection(options);
      collectionDeleted = true;
    } catch (err) {
      // Discovery said it could; the server disagrees — fall back to one delete per object.
      if (!isMethodNotSupported(err)) throw err;
    }
  }
  if (!collectionDeleted) {
    for (const item of (await objects.listAll({ signal })).items) {
      if (item.metadata?.deletionTimestamp) continue;
      try {
        await objects.delete(item.metadata?.name ?? '', options);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
  const left = (await objects.listAll({ signal })).items;
  const finalizers = new Map<string, number>();
  for (const item of left) {
    for (const f of item.metadata?.finalizers ?? [])
      finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
  }
  if (finalizers.size > 0) estimateSeconds = Math.max(estimateSeconds, FINALIZER_ESTIMATE_SECONDS);
  return { remaining: left.length, finalizers, estimateSeconds };
}

/** The longest grace period among pods still running (finished pods go at once). */
export function gracefulTerminationEstimate(pods: readonly Pod[]): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace =
      pod.metadata.deletionGracePeriodSeconds ??
      pod.spec?.terminationGracePeriodSeconds ??
      DEFAULT_TERMINATION_GRACE_SECONDS;
    estimate = Math.max(estimate, grace);
  }
  return estimate;
}
