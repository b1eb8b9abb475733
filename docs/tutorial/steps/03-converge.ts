// Step 3: converge, don't just create. Step 2 never noticed a Website whose replicas changed, or
// a Deployment someone edited by hand. Now each reconcile compares what exists with what the
// Website asks for — only the fields this controller decides, never the whole object (the
// apiserver fills in defaults, so a whole-object comparison would "see" drift forever) — and
// writes only when they differ. Run it twice in a row and the second pass writes nothing:
// that is idempotence.
//
//   node --conditions=source --import tsx docs/tutorial/steps/03-converge.ts
import type { Deployment, Service } from '@skiff/api';
import {
  clone,
  controllerFor,
  isControlledBy,
  TerminalError,
  type Client,
  type Lister,
  type Manager,
  type Request,
  type Result,
} from '@skiff/client';
import { createIfMissing, desiredDeployment, desiredService } from './02-create-children.js';
import { isMain, runStep, websiteKind, type Website } from './website.js';

/** The caches a Website's reconcile reads. */
export interface Caches {
  readonly websites: Lister<Website>;
  readonly deployments: Lister<Deployment>;
  readonly services: Lister<Service>;
}

export function cachesOf(manager: Manager): Caches {
  return {
    websites: manager.informers.forResource<Website>(websiteKind).lister(),
    deployments: manager.informers.apps.v1.deployments().lister(),
    services: manager.informers.core.v1.services().lister(),
  };
}

/** The fields of a Deployment this controller decides; anything else is someone else's. */
function deploymentDrift(actual: Readonly<Deployment>, desired: Deployment): string | undefined {
  const want = desired.spec.template.spec?.containers[0];
  const have = actual.spec.template.spec?.containers[0];
  if (actual.spec.replicas !== desired.spec.replicas) return 'replicas';
  if (have?.image !== want?.image) return 'image';
  if (have?.ports?.[0]?.containerPort !== want?.ports?.[0]?.containerPort) return 'port';
  return undefined;
}

function serviceDrift(actual: Readonly<Service>, desired: Service): string | undefined {
  const want = desired.spec?.ports?.[0];
  const have = actual.spec?.ports?.[0];
  if (have?.port !== want?.port || have?.targetPort !== want?.targetPort) return 'port';
  if (JSON.stringify(actual.spec?.selector) !== JSON.stringify(desired.spec?.selector)) {
    return 'selector';
  }
  return undefined;
}

/** Refuses to take over an object with the Website's name that something else controls. */
function mustBeOurs(kind: string, actual: Readonly<Deployment | Service>, site: Readonly<Website>) {
  if (isControlledBy(actual, site)) return;
  // Retrying cannot fix this: a human has to rename or delete one of them.
  throw new TerminalError(
    `${kind} ${actual.metadata.namespace}/${actual.metadata.name} exists and is not controlled by this Website`,
  );
}

/**
 * Makes the Website's Deployment and Service match it; answers the Deployment as last seen
 * (the cached one, or what a create or update returned).
 */
export async function reconcileChildren(
  client: Client,
  caches: Caches,
  site: Readonly<Website>,
): Promise<Readonly<Deployment> | undefined> {
  const namespace = site.metadata.namespace ?? '';
  const name = site.metadata.name ?? '';

  let deployment: Readonly<Deployment> | undefined = caches.deployments.get(namespace, name);
  const wantDeployment = desiredDeployment(site);
  if (!deployment) {
    await createIfMissing(async () => {
      deployment = await client.deployments(namespace).create(wantDeployment);
    });
  } else {
    mustBeOurs('Deployment', deployment, site);
    if (deploymentDrift(deployment, wantDeployment)) {
      // Cached objects are frozen and shared: change a copy. Its resourceVersion is the one we
      // read, so if anyone wrote the Deployment since, the update fails with 409 Conflict and
      // the error retries this reconcile with the fresher copy.
      const updated = clone(deployment);
      updated.spec.replicas = wantDeployment.spec.replicas;
      updated.spec.template = wantDeployment.spec.template;
      deployment = await client.deployments(namespace).update(updated);
    }
  }

  const service = caches.services.get(namespace, name);
  const wantService = desiredService(site);
  if (!service) {
    await createIfMissing(() => client.services(namespace).create(wantService));
  } else {
    mustBeOurs('Service', service, site);
    if (serviceDrift(service, wantService)) {
      const updated = clone(service);
      // Only our fields: spec.clusterIP and the rest were set by the apiserver and must stay.
      updated.spec = {
        ...updated.spec,
        ports: wantService.spec?.ports,
        selector: wantService.spec?.selector,
      };
      await client.services(namespace).update(updated);
    }
  }
  return deployment;
}

export function setupConverge(manager: Manager): void {
  const caches = cachesOf(manager);
  controllerFor(manager)
    .for(websiteKind)
    .owns('deployments')
    .owns('services')
    .complete(async ({ namespace = '', name }: Request): Promise<Result> => {
      const site = caches.websites.get(namespace, name);
      if (!site) return {};
      await reconcileChildren(manager.client, caches, site);
      return {};
    });
}

if (isMain(import.meta.url)) await runStep('03-converge', setupConverge);
