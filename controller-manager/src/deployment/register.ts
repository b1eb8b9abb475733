// Wires the Deployment controller into a manager: Deployment, ReplicaSet and pod informers feed
// its handlers (pods only for Recreate, which waits for old pods to be gone).
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { DeploymentController } from './deployment-controller.js';

export function addDeploymentController(
  manager: Manager,
  /** Whom the controller writes through (kube-controller-manager's rate-limited client). */
  client: Client,
  options: { readonly workers: number },
): DeploymentController {
  const deployments = manager.informers.apps.v1.deployments();
  const replicaSets = manager.informers.apps.v1.replicaSets();
  const pods = manager.informers.core.v1.pods();
  const controller = addController(manager, {
    name: 'deployment',
    component: 'deployment-controller',
    workers: options.workers,
    build: (queue, context) =>
      new DeploymentController({
        ...context,
        client,
        deployments: deployments.lister(),
        replicaSets: replicaSets.lister(),
        pods: pods.lister(),
        queue,
      }),
  });
  deployments.addEventHandler({
    onAdd: (d) => controller.onDeploymentChange(d),
    onUpdate: (_old, d) => controller.onDeploymentChange(d),
    onDelete: (d) => controller.onDeploymentChange(d),
  });
  replicaSets.addEventHandler({
    onAdd: (rs) => controller.onReplicaSetChange(rs),
    onUpdate: (old, rs) => controller.onReplicaSetUpdate(old, rs),
    onDelete: (rs) => controller.onReplicaSetDelete(rs),
  });
  pods.addEventHandler({ onDelete: (pod) => controller.onPodDelete(pod) });
  return controller;
}
