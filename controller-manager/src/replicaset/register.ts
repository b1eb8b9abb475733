// Wires the ReplicaSet controller into a manager: pod and ReplicaSet informers feed its handlers.
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { ReplicaSetController } from './replica-set-controller.js';

export function addReplicaSetController(
  manager: Manager,
  /** Whom the controller writes through (kube-controller-manager's rate-limited client). */
  client: Client,
  options: { readonly workers: number },
): ReplicaSetController {
  const pods = manager.informers.core.v1.pods();
  const replicaSets = manager.informers.apps.v1.replicaSets();
  const controller = addController(manager, {
    name: 'replicaset',
    component: 'replicaset-controller',
    workers: options.workers,
    build: (queue, context) =>
      new ReplicaSetController({
        ...context,
        client,
        pods: pods.lister(),
        replicaSets: replicaSets.lister(),
        queue,
      }),
  });
  replicaSets.addEventHandler({
    onAdd: (rs) => controller.onReplicaSetChange(rs),
    onUpdate: (_old, rs) => controller.onReplicaSetChange(rs),
    onDelete: (rs) => controller.onReplicaSetDelete(rs),
  });
  pods.addEventHandler({
    onAdd: (pod) => controller.onPodAdd(pod),
    onUpdate: (old, pod) => controller.onPodUpdate(old, pod),
    onDelete: (pod) => controller.onPodDelete(pod),
  });
  return controller;
}
