// Wires the pod garbage collector into a manager: it reads the pod and node caches on a period.
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { PodGCController } from './pod-gc-controller.js';

export function addPodGCController(
  manager: Manager,
  client: Client,
  options: { readonly terminatedPodThreshold: number },
): PodGCController {
  const pods = manager.informers.core.v1.pods();
  const nodes = manager.informers.core.v1.nodes();
  return addController(manager, {
    name: 'podgc',
    component: 'pod-garbage-collector',
    workers: 1,
    build: (queue, context) =>
      new PodGCController({
        ...context,
        client,
        pods: pods.lister(),
        nodes: nodes.lister(),
        queue,
        terminatedPodThreshold: options.terminatedPodThreshold,
        registry: manager.registry,
      }),
  });
}
