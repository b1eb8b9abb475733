// Step 4: report back. A Website's status says what the controller last saw: how many replicas
// are ready, where the site answers, and a `Ready` condition. `observedGeneration` says *which*
// spec that status describes — metadata.generation goes up on every spec change, so a client
// that sees observedGeneration < generation knows the status is not yet about its latest edit.
//
//   node --conditions=source --import tsx docs/tutorial/steps/04-status.ts
//
// Without skiff's deployment controller and kubelet, no pod ever becomes ready, so Ready stays
// False ("0/2 replicas ready"); with a full cluster (`skiff up`) it turns True.
import type { Condition, Deployment } from '@skiff/api';
import {
  clone,
  controllerFor,
  isConflict,
  type Client,
  type Manager,
  type Request,
  type Result,
} from '@skiff/client';
import { cachesOf, reconcileChildren } from './03-converge.js';
import {
  isMain,
  runStep,
  sameJson,
  websiteKind,
  type Website,
  type WebsiteStatus,
} from './website.js';

export function urlFor(site: Readonly<Website>): string {
  const { name, namespace } = site.metadata;
  return `http://${name}.${namespace}.svc:${site.spec.port}`;
}

export function readyCondition(
  site: Readonly<Website>,
  deployment: Readonly<Deployment> | undefined,
): Omit<Condition, 'lastTransitionTime'> {
  const ready = deployment?.status?.readyReplicas ?? 0;
  const wanted = site.spec.replicas;
  const allReady = ready >= wanted;
  return {
    type: 'Ready',
    status: allReady ? 'True' : 'False',
    reason: allReady ? 'ReplicasReady' : 'ReplicasNotReady',
    message: `${ready}/${wanted} replicas ready`,
    observedGeneration: site.metadata.generation,
  };
}

/**
 * `conditions` with `next` in place of the condition of its type. lastTransitionTime moves only
 * when the status changes: it answers "since when is this Ready/not Ready", not "when did the
 * controller last look".
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const current = conditions?.find((c) => c.type === next.type);
  const lastTransitionTime =
    current && current.status === next.status ? current.lastTransitionTime : now.toISOString();
  return [
    ...(conditions ?? []).filter((c) => c.type !== next.type),
    { ...next, lastTransitionTime },
  ];
}

export function desiredStatus(
  site: Readonly<Website>,
  deployment: Readonly<Deployment> | undefined,
  now: Date,
): WebsiteStatus {
  return {
    observedGeneration: site.metadata.generation,
    readyReplicas: deployment?.status?.readyReplicas ?? 0,
    url: urlFor(site),
    conditions: setCondition(site.status?.conditions, readyCondition(site, deployment), now),
  };
}

/** Writes the status if it changed. A status write that changes nothing would still wake every
 *  watcher of Websites — including this controller, which would then write again, forever. */
export async function writeStatus(
  client: Client,
  site: Readonly<Website>,
  status: WebsiteStatus,
): Promise<Result> {
  if (sameJson(site.status ?? {}, status)) return {};
  const updated = clone(site);
  updated.status = status;
  try {
    await client.resource<Website>(websiteKind, site.metadata.namespace).updateStatus(updated);
  } catch (err) {
    // Someone changed the Website since our cache saw it (often: a user's edit). Nothing is
    // wrong; look again once the cache has the new version. The watch event would bring us back
    // anyway; requeue says so explicitly, with backoff, and is not counted as an error.
    if (isConflict(err)) return { requeue: true };
    throw err;
  }
  return {};
}

export function setupStatus(manager: Manager): void {
  const caches = cachesOf(manager);
  controllerFor(manager)
    .for(websiteKind)
    .owns('deployments')
    .owns('services')
    .complete(async ({ namespace = '', name }: Request): Promise<Result> => {
      const site = caches.websites.get(namespace, name);
      if (!site) return {};
      const deployment = await reconcileChildren(manager.client, caches, site);
      const now = new Date(manager.clock.now());
      return writeStatus(manager.client, site, desiredStatus(site, deployment, now));
    });
}

if (isMain(import.meta.url)) await runStep('04-status', setupStatus);
