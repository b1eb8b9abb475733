// Wires the Endpoints controller into a manager: services, pods and Endpoints feed its handlers.
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { EndpointsController } from './endpoints-controller.js';

export function addEndpointsController(
  manager: Manager,
  /** Whom the controller writes through (kube-controller-manager's rate-limited client). */
  client: Client,
  options: { readonly workers: number },
): EndpointsController {
  const pods = manager.informers.core.v1.pods();
  const services = manager.informers.core.v1.services();
  const endpoints = manager.informers.core.v1.endpoints();
  const controller = addController(manager, {
    name: 'endpoint',
    component: 'endpoint-controller',
    workers: options.workers,
    build: (queue, context) =>
      new EndpointsController({
        ...context,
        client,
        pods: pods.lister(),
        services: services.lister(),
        endpoints: endpoints.lister(),
        queue,
      }),
  });
  services.addEventHandler({
    onAdd: (svc) => controller.onServiceChange(svc),
    onUpdate: (_old, svc) => controller.onServiceChange(svc),
    onDelete: (svc) => controller.onServiceChange(svc),
  });
  pods.addEventHandler({
    onAdd: (pod) => controller.onPodAdd(pod),
    onUpdate: (old, pod) => controller.onPodUpdate(old, pod),
    onDelete: (pod) => controller.onPodDelete(pod),
  });
  // Only deletions, as in Kubernetes: an update is most often this controller's own write
  // coming back, and a sync of a large Service for nothing.
  endpoints.addEventHandler({
    onDelete: (ep) => controller.onEndpointsDelete(ep),
  });
  return controller;
}
