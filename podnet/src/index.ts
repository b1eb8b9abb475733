// Public entry of @skiff/podnet: the pod network across nodes (flannel's role).
// startPodNetwork() runs it; planRoutes() is the pure heart, exported for readers and tools.
export {
  startPodNetwork,
  cleanupPodNetwork,
  type StartPodNetworkOptions,
  type PodNetworkHandle,
  type PodNetworkStatus,
} from './start-pod-network.js';
export {
  planRoutes,
  vtepAddress,
  VXLAN_DEVICE,
  type RoutingMode,
  type RoutePlan,
  type SelfNetInfo,
  type PlannedRoute,
  type PlannedFdbEntry,
  type PlannedNeighbour,
  type NodeProblem,
} from './plan/plan-routes.js';
export {
  nodeNetInfo,
  VXLAN_MAC_ANNOTATION,
  PUBLIC_IP_ANNOTATION,
  type NodeNetInfo,
} from './plan/node-info.js';
export { PodNetworkApplier, DEFAULT_ROUTE_PROTOCOL } from './apply/applier.js';
export { VXLAN_PORT, VXLAN_VNI, vxlanMacFor } from './apply/vxlan-device.js';
