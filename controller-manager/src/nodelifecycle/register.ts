// Wires node lifecycle into a manager: the health monitor (one key, every
// --node-monitor-period) and taint eviction (one key per pod).
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

export function addNodeLifecycleController(
  manager: Manager,
  client: Client,
  options: NodeLifecycleOptions & { readonly evictionWorkers: number },
): { monitor: NodeLifecycleController; eviction: TaintEvictionController } {
  const nodes = manager.informers.core.v1.nodes();
  const pods = manager.informers.core.v1.pods();
  const leases = manager.informers.coordination.v1.leases();
  const monitor = addController(manager, {
    name: 'nodelifecycle',
    component: 'node-controller',
    workers: 1,
    build: (queue, context) =>
      new NodeLifecycleController({
        ...context,
        ...options,
        client,
        nodes: nodes.lister(),
        leases: leases.lister(),
        pods: pods.lister(),
        queue,
        registry: manager.registry,
      }),
  });
  const eviction = addController(manager, {
    name: 'taint-eviction-controller',
    component: 'taint-eviction-controller',
    workers: options.evictionWorkers,
    build: (queue, context) =>
      new TaintEvictionController({
        ...context,
        client,
        pods: pods.lister(),
        nodes: nodes.lister(),
        queue,
        registry: manager.registry,
      }),
  });
  nodes.addEventHandler({
    onAdd: (node) => eviction.onNodeChange(undefined, node),
    onUpdate: (old, node) => eviction.onNodeChange(old, node),
  });
  pods.addEventHandler({
    onAdd: (pod) => eviction.onPodChange(pod),
    onUpdate: (_old, pod) => eviction.onPodChange(pod),
  });
  return { monitor, eviction };
}
