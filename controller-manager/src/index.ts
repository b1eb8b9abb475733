// Public entry of @skiff/controller-manager: kube-controller-manager's controllers, one folder
// each, and the app that runs the selected ones under one leader election.
export * from './app/index.js';
export { addReplicaSetController, ReplicaSetController } from './replicaset/index.js';
export { addEndpointsController, EndpointsController } from './endpoint/index.js';
export { addEndpointSliceController, EndpointSliceController } from './endpointslice/index.js';
export { addPodGCController, PodGCController } from './podgc/index.js';
export { addNodeIpamController, NodeIpamController } from './nodeipam/index.js';
export {
  addNodeLifecycleController,
  NodeLifecycleController,
  TaintEvictionController,
} from './nodelifecycle/index.js';
export {
  addGarbageCollector,
  GarbageCollector,
  restResourceDiscovery,
} from './garbagecollector/index.js';
