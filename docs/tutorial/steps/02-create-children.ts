// Step 2: make the Website real. For each Website the controller makes a Deployment (the pods
// serving it) and a Service (a stable address in front of them), each carrying an owner
// reference that says "controlled by this Website". owns() watches them, so deleting the
// Deployment by hand wakes the Website's reconcile, which creates it again.
//
//   node --conditions=source --import tsx docs/tutorial/steps/02-create-children.ts
import type { Deployment, Service } from '@skiff/api';
import {
  controllerFor,
  controllerReference,
  isAlreadyExists,
  type Client,
  type Manager,
  type Request,
  type Result,
} from '@skiff/client';
import { isMain, labelsFor, runStep, websiteKind, type Website } from './website.js';

export function desiredDeployment(site: Readonly<Website>): Deployment {
  const labels = labelsFor(site);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: site.metadata.name,
      namespace: site.metadata.namespace,
      labels,
      ownerReferences: [controllerReference(site)],
    },
    spec: {
      replicas: site.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'web', image: site.spec.image, ports: [{ containerPort: site.spec.port }] },
          ],
        },
      },
    },
  };
}

export function desiredService(site: Readonly<Website>): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: site.metadata.name,
      namespace: site.metadata.namespace,
      labels: labelsFor(site),
      ownerReferences: [controllerReference(site)],
    },
    spec: {
      selector: labelsFor(site),
      ports: [{ name: 'http', port: site.spec.port, targetPort: site.spec.port }],
    },
  };
}

/** Creates `object` unless it exists; an AlreadyExists means our cache was behind, not an error. */
export async function createIfMissing(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

export function setupChildren(manager: Manager): void {
  const client: Client = manager.client;
  const websites = manager.informers.forResource<Website>(websiteKind).lister();
  const deployments = manager.informers.apps.v1.deployments().lister();
  const services = manager.informers.core.v1.services().lister();

  controllerFor(manager)
    .for(websiteKind)
    .owns('deployments')
    .owns('services')
    .complete(async ({ namespace = '', name }: Request): Promise<Result> => {
      const site = websites.get(namespace, name);
      // Deleted: its Deployment and Service go with it, through their owner references (see
      // the README on garbage collection). Nothing for us to do.
      if (!site) return {};
      if (!deployments.get(namespace, name)) {
        await createIfMissing(() => client.deployments(namespace).create(desiredDeployment(site)));
      }
      if (!services.get(namespace, name)) {
        await createIfMissing(() => client.services(namespace).create(desiredService(site)));
      }
      return {};
    });
}

if (isMain(import.meta.url)) await runStep('02-children', setupChildren);
