// Wires node IPAM into a manager (only with --allocate-node-cidrs).
import type { Client, Manager } from '@skiff/client';
import { addController } from '../controller/add-controller.js';
import { parseCidrSet } from './cidr-set.js';
import { NodeIpamController } from './node-ipam-controller.js';

export function addNodeIpamController(
  manager: Manager,
  client: Client,
  options: { readonly clusterCidr: string; readonly nodeCidrMaskSize: number },
): NodeIpamController {
  const cidrs = parseCidrSet(options.clusterCidr, options.nodeCidrMaskSize);
  const nodes = manager.informers.core.v1.nodes();
  const controller = addController(manager, {
    name: 'nodeipam',
    component: 'node-ipam-controller',
    // One worker: two nodes allocated at once could be handed the same free subnet.
    workers: 1,
    build: (queue, context) =>
      new NodeIpamController({ ...context, client, nodes: nodes.lister(), queue, cidrs }),
  });
  nodes.addEventHandler({
    onAdd: (node) => controller.onNodeChange(node),
    onUpdate: (_old, node) => controller.onNodeChange(node),
    onDelete: (node) => controller.onNodeDelete(node),
  });
  return controller;
}
