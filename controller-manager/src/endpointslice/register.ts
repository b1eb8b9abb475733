// Wires the EndpointSlice controller into a manager: services, pods and slices feed its handlers.
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { EndpointSliceController } from './endpoint-slice-controller.js';

export function addEndpointSliceController(
  manager: Manager,
  /** Whom the controller writes through (kube-controller-manager's rate-limited client). */
  client: Client,
  options: { readonly workers: number; readonly maxEndpointsPerSlice: number },
): EndpointSliceController {
  const pods = manager.informers.core.v1.pods();
  const services = manager.informers.core.v1.services();
  const slices = manager.informers.discovery.v1.endpointSlices();
  const controller = addController(manager, {
    name: 'endpointslice',
    component: 'endpoint-slice-controller',
    workers: options.workers,
    build: (queue, context) =>
      new EndpointSliceController({
        ...context,
        client,
        pods: pods.lister(),
        services: services.lister(),
        endpointSlices: slices.lister(),
        queue,
        maxEndpointsPerSlice: options.maxEndpointsPerSlice,
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
  slices.addEventHandler({
    onAdd: (slice) => controller.onSliceChange(slice),
    onUpdate: (_old, slice) => controller.onSliceChange(slice),
    onDelete: (slice) => controller.onSliceDelete(slice),
  });
  return controller;
}
