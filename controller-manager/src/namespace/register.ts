// Wires the namespace controller into a manager: namespace events enqueue the deleted ones;
// discovery goes to the apiserver on every pass, so custom resources added meanwhile count.
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import type { NamespacedResourceDiscovery } from './discovery.js';
import { NamespaceController } from './namespace-controller.js';

export function addNamespaceController(
  manager: Manager,
  client: Client,
  options: { readonly workers: number; readonly discovery: NamespacedResourceDiscovery },
): NamespaceController {
  const namespaces = manager.informers.core.v1.namespaces();
  const controller = addController(manager, {
    name: 'namespace',
    component: 'namespace-controller',
    workers: options.workers,
    build: (queue, context) =>
      new NamespaceController({
        ...context,
        client,
        namespaces: namespaces.lister(),
        discovery: options.discovery,
        queue,
      }),
  });
  namespaces.addEventHandler({
    onAdd: (ns) => controller.onNamespaceChange(ns),
    onUpdate: (_old, ns) => controller.onNamespaceChange(ns),
  });
  return controller;
}
